// Benchmarks: the org's NPS beside its industry's average and leader (built-in or its own rows).
export {
  BENCHMARK_SETS,
  type BenchmarkSet,
  findIndustry,
  type IndustryBenchmark,
  type Texts,
} from './catalogue.js';
export { benchmarkRoutes } from './routes.js';
export {
  addBenchmarkRow,
  type BenchmarkRowView,
  type BenchmarksView,
  benchmarkSets,
  chooseIndustry,
  deleteBenchmarkRow,
  getBenchmarks,
  type IndustryReference,
  industryReference,
  listBenchmarkRows,
  type Reference,
  referenceOf,
  updateBenchmarkRow,
} from './service.js';
