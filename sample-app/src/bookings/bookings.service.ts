import { Injectable } from '@nestjs/common';
import { ApiValidationException, ConflictApiException } from 'nest-api-errors';
import { randomBytes } from 'node:crypto';
import type { CreateBookingDto } from './create-booking.dto.js';

export interface Booking extends CreateBookingDto {
  id: string;
  organizationId: string;
  createdAt: string;
}

interface OrganizationBookings {
  readonly list: Booking[];
  /** `serviceId|startsAt (epoch ms)` of every booking: the double-booking check in O(1). */
  readonly slots: Set<string>;
}

/** Bookings per organization, in memory. */
@Injectable()
export class BookingsService {
  private readonly byOrganization = new Map<string, OrganizationBookings>();

  list(organizationId: string): Booking[] {
    return this.byOrganization.get(organizationId)?.list ?? [];
  }

  create(organizationId: string, input: CreateBookingDto): Booking {
    const startsAt = Date.parse(input.startsAt);
    if (Date.parse(input.endsAt) <= startsAt) {
      throw new ApiValidationException({ endsAt: ['End time must be after start time'] });
    }
    let bookings = this.byOrganization.get(organizationId);
    if (!bookings)
      this.byOrganization.set(organizationId, (bookings = { list: [], slots: new Set() }));
    const slot = `${input.serviceId}|${startsAt}`;
    if (bookings.slots.has(slot))
      throw new ConflictApiException('Time slot is no longer available');
    const booking: Booking = {
      id: `book_${randomBytes(9).toString('base64url')}`,
      organizationId,
      ...input,
      createdAt: new Date().toISOString(),
    };
    bookings.list.push(booking);
    bookings.slots.add(slot);
    return booking;
  }
}
