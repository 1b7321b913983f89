/** A valid body for the sample app's POST /v1/bookings (one slot: vary `serviceId` to repeat). */
export const VALID_BOOKING = Object.freeze({
  serviceId: 'svc_haircut',
  startsAt: '2026-05-01T09:00:00Z',
  endsAt: '2026-05-01T10:00:00Z',
  customer: { name: 'Ada Lovelace', phone: '+31612345678', email: 'ada@example.com' },
  items: [
    { sku: 'CUT-1', qty: 1 },
    { sku: 'WASH-2', qty: 2 },
  ],
  notes: 'Window seat',
});
