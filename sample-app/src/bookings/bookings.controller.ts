import { Body, Controller, Get, Post } from '@nestjs/common';
import {
  ApiErrorResponse,
  Idempotent,
  Principal,
  RequireScopes,
  type ApiPrincipal,
} from 'nest-api-errors';
import { BookingsService, type Booking } from './bookings.service.js';
import { CreateBookingDto } from './create-booking.dto.js';
import { createBookingSchema, type CreateBooking } from './create-booking.schema.js';

@Controller('v1/bookings')
export class BookingsController {
  constructor(private readonly bookings: BookingsService) {}

  @Get()
  list(@Principal() principal: ApiPrincipal): { bookings: Booking[] } {
    return { bookings: this.bookings.list(principal.organizationId) };
  }

  @Post()
  @RequireScopes('bookings:write')
  @Idempotent()
  @ApiErrorResponse('conflict', 'Time slot is no longer available')
  create(
    @Principal() principal: ApiPrincipal,
    @Body() input: CreateBookingDto,
  ): { booking: Booking } {
    return { booking: this.bookings.create(principal.organizationId, input) };
  }

  /** The same booking, validated by a zod schema instead of class-validator: the same answers. */
  @Post('zod')
  @RequireScopes('bookings:write')
  @Idempotent()
  @ApiErrorResponse('conflict', 'Time slot is no longer available')
  createWithSchema(
    @Principal() principal: ApiPrincipal,
    @Body({ schema: createBookingSchema }) input: CreateBooking,
  ): { booking: Booking } {
    return { booking: this.bookings.create(principal.organizationId, input) };
  }
}
