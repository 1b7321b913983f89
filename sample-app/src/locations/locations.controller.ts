import { Controller, Get, Param } from '@nestjs/common';
import { NotFoundApiException } from 'nest-api-errors';
import { LOCATIONS, type Location } from './locations.data.js';

@Controller('v1/locations')
export class LocationsController {
  @Get()
  list(): { locations: readonly Location[] } {
    return { locations: LOCATIONS };
  }

  @Get(':id')
  get(@Param('id') id: string): { location: Location } {
    const location = LOCATIONS.find((candidate) => candidate.id === id);
    if (!location) throw new NotFoundApiException('Location not found');
    return { location };
  }
}
