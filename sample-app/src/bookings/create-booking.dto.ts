import { Type } from 'class-transformer';
import {
  ArrayNotEmpty,
  IsArray,
  IsDefined,
  IsEmail,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  Min,
  ValidateBy,
  ValidateNested,
  type ValidationOptions,
} from 'class-validator';

const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/;

/** An ISO-8601 date-time with a time zone (`2026-05-01T09:30:00Z`) that is a real instant. */
function IsDateTime(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isDateTime',
      validator: {
        validate: (value: unknown) =>
          typeof value === 'string' && DATE_TIME.test(value) && !Number.isNaN(Date.parse(value)),
        defaultMessage: () => '$property must be an ISO-8601 date-time',
      },
    },
    options,
  );
}

export class CustomerDto {
  @IsString()
  @IsNotEmpty()
  name!: string;

  @IsString()
  @Matches(/^\+\d{8,15}$/, { message: '$property must be an E.164 phone number' })
  phone!: string;

  @IsOptional()
  @IsEmail()
  email?: string;
}

export class BookingItemDto {
  @IsString()
  @IsNotEmpty()
  sku!: string;

  @IsInt()
  @Min(1)
  qty!: number;
}

export class CreateBookingDto {
  @IsString()
  @IsNotEmpty()
  serviceId!: string;

  @IsDateTime()
  startsAt!: string;

  @IsDateTime()
  endsAt!: string;

  @IsDefined()
  @ValidateNested()
  @Type(() => CustomerDto)
  customer!: CustomerDto;

  @IsArray()
  @ArrayNotEmpty()
  @ValidateNested({ each: true })
  @Type(() => BookingItemDto)
  items!: BookingItemDto[];

  @IsOptional()
  @IsString()
  @MaxLength(500)
  notes?: string;
}
