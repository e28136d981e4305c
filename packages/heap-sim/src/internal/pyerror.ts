import { PythonError, type PythonExceptionType } from "../errors.ts";

export function pythonError(type: PythonExceptionType, message: string): PythonError {
  return new PythonError(type, message);
}
