/**
 * What changes between the CPython versions the heap can model. 3.11 is the reference; the 3.12 and
 * 3.13 deltas are the ones documented in `shared/cpython/FACTS.md` (§2.5, §3.9) and checked on the
 * local 3.12.1 and 3.13.0 builds (`oracle/other_versions/`).
 */
export type PythonVersion = "3.11" | "3.12" | "3.13";

export interface VersionProfile {
  readonly version: PythonVersion;
  /** Default `gc.get_threshold()[0]`: 700, 2000 from 3.13. */
  readonly threshold0: number;
  /** Header of a compact ASCII str, NUL excluded: 48 (3.11, with `wstr`), 40 (3.12+, PEP 623). */
  readonly asciiHeader: number;
  /** Header of a compact non-ASCII str: 72 (3.11), 56 (3.12+). */
  readonly compactHeader: number;
  /**
   * Pre-header of plain-class instances: 16 (managed dict pointers). In 3.11 `__weakref__` is a
   * slot in the body; from 3.12 it is managed in the pre-header too.
   */
  readonly managedWeakref: boolean;
  /** 3.13: instance attribute values live inline in the object (`Py_TPFLAGS_INLINE_VALUES`). */
  readonly inlineValues: boolean;
  /** 3.12+: singletons and interned strings are immortal (PEP 683). */
  readonly immortal: boolean;
  /**
   * 3.12+: the threshold check only schedules the collection; it runs at the next eval-breaker
   * check, modelled as the end of the allocating heap call (after the new object is tracked).
   */
  readonly scheduledGc: boolean;
  /**
   * 3.13: a materialised `__dict__` shares the instance's inline values (embedded); the instance
   * keeps visiting its values, not the dict, so the dict is never part of the garbage it finds.
   */
  readonly embeddedDict: boolean;
  /** `sys.getsizeof(lambda: 0)`: 152 (3.11), 160 (3.12+). */
  readonly functionSize: number;
}

const V311: VersionProfile = {
  version: "3.11",
  threshold0: 700,
  asciiHeader: 48,
  compactHeader: 72,
  managedWeakref: false,
  inlineValues: false,
  immortal: false,
  scheduledGc: false,
  embeddedDict: false,
  functionSize: 152,
};

const V312: VersionProfile = {
  ...V311,
  version: "3.12",
  asciiHeader: 40,
  compactHeader: 56,
  managedWeakref: true,
  immortal: true,
  scheduledGc: true,
  functionSize: 160,
};

const V313: VersionProfile = {
  ...V312,
  version: "3.13",
  threshold0: 2000,
  inlineValues: true,
  embeddedDict: true,
};

/** The profile of a supported version. */
export function profileOf(version: PythonVersion): VersionProfile {
  switch (version) {
    case "3.11":
      return V311;
    case "3.12":
      return V312;
    case "3.13":
      return V313;
  }
}
