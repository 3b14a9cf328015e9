import { FakeTransport } from './fake-transport.ts';
import { describeTransportContract } from './transport-contract.ts';

// The scripted fake must keep the promises the real transport keeps against real servers
// (test/integration/transport-contract.test.ts runs the same cases on Radicale and Xandikos).
describeTransportContract('scripted fake', async () => {
  const fake = new FakeTransport();
  return {
    transport: fake,
    serverUrl: fake.serverUrl,
    homeUrl: fake.homeUrl,
    makeCalendar: async (name, displayName) => fake.addCalendar(name, { displayName }),
  };
});
