import { Injectable } from '@nestjs/common';
import { ApiValidationException, ConflictApiException } from 'nest-api-errors';
import { randomBytes } from 'node:crypto';
import type { CreateBookingDto } from './create-booking.dto.js';

export interface Booking extends CreateBookingDto {
  id: string;
  organizationId: string;
  createdAt: string;
}

/** Bookings per organization, in memory. */
@Injectable()
export class BookingsService {
  private readonly byOrganization = new Map<string, Booking[]>();

  list(organizationId: string): Booking[] {
    return this.byOrganization.get(organizationId) ?? [];
  }

  create(organizationId: string, input: CreateBookingDto): Booking {
    if (Date.parse(input.endsAt) <= Date.parse(input.startsAt)) {
      throw new ApiValidationException({ endsAt: ['End time must be after start time'] });
    }
    const bookings = this.byOrganization.get(organizationId) ?? [];
    const taken = bookings.some(
      (booking) =>
        booking.serviceId === input.serviceId &&
        Date.parse(booking.startsAt) === Date.parse(input.startsAt),
    );
    if (taken) throw new ConflictApiException('Time slot is no longer available');
    const booking: Booking = {
      id: `book_${randomBytes(9).toString('base64url')}`,
      organizationId,
      ...input,
      createdAt: new Date().toISOString(),
    };
    bookings.push(booking);
    this.byOrganization.set(organizationId, bookings);
    return booking;
  }
}
