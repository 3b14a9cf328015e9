import '@calsync/core/worker';
