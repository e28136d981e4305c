export { type IsolateMode, type IsolateOptions, isolate } from "./node/isolate.js";
export {
  type ChildExit,
  type ChildProcessOptions,
  childProcess,
  type ManagedChildProcess,
  openFile,
  type TempDir,
  type TempDirOptions,
  tempDir,
  tempDirSync,
} from "./node/resources.js";
