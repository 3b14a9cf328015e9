// A plain Next.js config: nothing calsync-specific.
export default {};
