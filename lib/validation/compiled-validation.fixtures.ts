import { Type } from 'class-transformer';
import {
  Allow,
  ArrayMaxSize,
  ArrayMinSize,
  ArrayNotEmpty,
  IsArray,
  IsBoolean,
  IsDateString,
  IsDefined,
  IsEmail,
  IsEnum,
  IsIn,
  IsInt,
  IsISO8601,
  IsNotEmpty,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  Validate,
  ValidateIf,
  ValidateBy,
  ValidateNested,
  ValidatorConstraint,
  type ValidationArguments,
  type ValidatorConstraintInterface,
} from 'class-validator';

/** DTOs covering every decorator the compiled path handles, for the differential test. */

export enum Tier {
  Local = 'local',
  Network = 'network',
  Authority = 'authority',
}

export class AddressDto {
  @IsString()
  @Length(2, 12)
  street!: string;

  @IsOptional()
  @Matches(/^\d{5}$/, { message: 'zip must be five digits' })
  zip?: string;

  @IsIn(['FR', 'DE', 'US'])
  country!: string;
}

export class PartDto {
  @IsString()
  @IsNotEmpty()
  sku!: string;

  @IsInt({ each: true })
  @ArrayMaxSize(2)
  sizes!: number[];
}

export class LineDto {
  @IsInt()
  @Min(1)
  @Max(9)
  qty!: number;

  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => PartDto)
  parts!: PartDto[];
}

/** Every common decorator on one class, with `each`, custom messages and nesting. */
export class KitchenSinkDto {
  @IsDefined()
  @IsString()
  @MinLength(2)
  @MaxLength(10)
  name!: string;

  @IsInt()
  @Min(0)
  @Max(10)
  count!: number;

  @IsOptional()
  @IsNumber({ allowNaN: false, maxDecimalPlaces: 2 })
  ratio?: number;

  @IsBoolean()
  active!: boolean;

  @IsNotEmpty({ message: 'custom: $property needs a value, not "$value" ($constraint1)' })
  label!: string;

  @IsOptional()
  @IsEmail()
  email?: string;

  @IsOptional()
  @IsISO8601()
  at?: string;

  @IsOptional()
  @IsDateString()
  day?: string;

  @IsOptional()
  @IsUUID('4')
  id?: string;

  @IsEnum(Tier, {
    message: (args: ValidationArguments) =>
      `${args.property} of ${args.targetName} is ${String(args.value)}, not one of ${String(args.constraints[1])}`,
  })
  tier!: Tier;

  @IsArray()
  @ArrayNotEmpty()
  @ArrayMinSize(1)
  @ArrayMaxSize(3)
  @IsString({ each: true })
  @MaxLength(5, { each: true })
  tags!: string[];

  @IsOptional()
  @IsObject()
  meta?: object;

  @ValidateNested()
  @Type(() => AddressDto)
  address!: AddressDto;

  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => LineDto)
  lines?: LineDto[];

  @Allow()
  free?: unknown;
}

/** Query strings: `@Type(() => Number)` and `Boolean` conversions, `each` on converted arrays. */
export class SearchQuery {
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  page?: number;

  @IsOptional()
  @Type(() => Boolean)
  @IsBoolean()
  exact?: boolean;

  @IsOptional()
  @IsIn(['asc', 'desc'])
  sort?: string;

  @IsOptional()
  @Type(() => Number)
  @IsNumber({}, { each: true })
  ids?: number[];

  @IsOptional()
  @IsString()
  @Length(1, 20)
  q?: string;
}

/** Contexts, an inherited class, and a message function reading the object. */
export class BaseDto {
  @IsString({ context: { hint: 'text' } })
  @MinLength(3, { context: { level: 1 } })
  code!: string;
}

export class DerivedDto extends BaseDto {
  @IsInt({ context: { hint: 'number' } })
  @Min(1, { message: (args: ValidationArguments) => `${args.property} ≥ 1 for ${args.targetName}` })
  amount!: number;

  @IsOptional()
  @ValidateNested({ message: 'address must be an object, got $value' })
  @Type(() => AddressDto)
  address?: AddressDto;
}

@ValidatorConstraint({ name: 'evenNumber' })
export class EvenNumber implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return typeof value === 'number' && value % 2 === 0;
  }

  defaultMessage(args: ValidationArguments): string {
    return `${args.property} must be even`;
  }
}

/** Not compiled: a constraint class of the app's own. */
export class CustomConstraintDto {
  @Validate(EvenNumber)
  pairs!: number;
}

/** Not compiled: `@ValidateIf`. */
export class ConditionalDto {
  @IsOptional()
  @IsString()
  kind?: string;

  @ValidateIf((object: ConditionalDto) => object.kind === 'phone')
  @IsString()
  phone?: string;
}

/** Compiled, until its check turns out to return a promise: then left to class-validator. */
export class LateAsyncDto {
  @ValidateBy({
    name: 'knownCode',
    validator: {
      validate: (value: unknown) => Promise.resolve(value === 'ok'),
      defaultMessage: () => '$property is not a known code',
    },
  })
  code!: string;
}
