export interface Location {
  id: string;
  name: string;
  city: string;
  timezone: string;
}

export const LOCATIONS: readonly Location[] = [
  {
    id: 'loc_amsterdam',
    name: 'Canal Street Studio',
    city: 'Amsterdam',
    timezone: 'Europe/Amsterdam',
  },
  { id: 'loc_lisbon', name: 'Alfama Rooms', city: 'Lisbon', timezone: 'Europe/Lisbon' },
  { id: 'loc_montreal', name: 'Plateau Loft', city: 'Montreal', timezone: 'America/Toronto' },
];
