import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiErrorResponse, NotFoundApiException } from 'nest-api-errors';
import { LOCATIONS, type Location } from './locations.data.js';
import { ListLocationsQuery } from './list-locations.query.js';

@Controller('v1/locations')
export class LocationsController {
  @Get()
  list(@Query() query: ListLocationsQuery): { locations: readonly Location[] } {
    return { locations: LOCATIONS.slice(0, query.limit ?? LOCATIONS.length) };
  }

  @Get(':id')
  @ApiErrorResponse('not_found', 'Location not found')
  get(@Param('id') id: string): { location: Location } {
    const location = LOCATIONS.find((candidate) => candidate.id === id);
    if (!location) throw new NotFoundApiException('Location not found');
    return { location };
  }
}
