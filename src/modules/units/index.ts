// Units: the organisation's structure and who may see which part of it.
export { unitRoutes } from './routes.js';
export {
  assertUnitVisible,
  createUnit,
  getUnit,
  listUnits,
  type Unit,
  type UnitView,
  unitIdsByExternalId,
  unitsById,
  visibleUnitIds,
} from './service.js';
