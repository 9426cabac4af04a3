/** The fake GitHub: a local server that speaks GitHub's GraphQL and REST protocols (server.ts); build its data with builder.ts or demo.ts. */
export { Budget } from "./budget";
export {
  type DeployOptions,
  fakeData,
  identity,
  type PROptions,
  RepoBuilder,
  type RunOptions,
  repoBuilder,
  type Time,
  type Who,
} from "./builder";
export { demoRepository, fromDemo } from "./demo";
export type { Fault, FaultMatch, FaultSpec, RecordedRequest } from "./faults";
export { sampleRepository } from "./fixture";
export { fakeRepositoryFromGit } from "./from-git";
export * from "./model";
export { type FakeGitHub, type FakeGitHubOptions, startFakeGitHub } from "./server";
