import { describe, expect, it } from "vitest";
import { defaultTarget, evaluateMarker, isValidMarker, type TargetEnvironment } from "../../lib/dependencies/manifests";

const linux: TargetEnvironment = { ...defaultTarget };
const mac: TargetEnvironment = { pythonVersion: "3.12.1", platform: "darwin", machine: "arm64" };
const windows: TargetEnvironment = {
  pythonVersion: "3.9",
  platform: "win32",
  machine: "AMD64",
  extras: ["GPU_Support"],
};

describe("evaluateMarker", () => {
  it.each([
    ['python_version >= "3.8"', linux, "true"],
    ['python_version < "3.10"', linux, "false"],
    ['python_version == "3.11"', linux, "true"],
    ['"3.12" > python_version', linux, "true"],
    ['python_version ~= "3.9"', linux, "true"],
    ['python_version == "3.*"', linux, "true"],
    ['python_full_version >= "3.12.0"', mac, "true"],
    ['python_full_version < "3.12.1"', mac, "false"],
    ['sys_platform == "linux"', linux, "true"],
    ['sys_platform == "darwin"', mac, "true"],
    ['platform_system == "Windows"', windows, "true"],
    ['platform_system == "Linux"', mac, "false"],
    ['os_name == "nt"', windows, "true"],
    ['os_name == "posix"', mac, "true"],
    ['platform_machine == "arm64"', mac, "true"],
    ['platform_machine != "x86_64"', linux, "false"],
    ['implementation_name == "cpython"', linux, "true"],
    ['platform_python_implementation == "PyPy"', linux, "false"],
    ["sys.platform == 'win32'", windows, "true"],
    ['"linux" in sys_platform', linux, "true"],
    ['"arm" not in platform_machine', mac, "false"],
    ['extra == "gpu-support"', windows, "true"],
    ['extra == "gpu"', linux, "false"],
  ] as const)("%s on %o is %s", (marker, target, expected) => {
    expect(evaluateMarker(marker, target)).toBe(expected);
  });

  it("is unknown when the target cannot decide", () => {
    expect(evaluateMarker('platform_release >= "5.10"', linux)).toBe("unknown");
    expect(evaluateMarker('made_up_variable == "x"', linux)).toBe("unknown");
    // A "3.11" target could be any 3.11.x, so a patch-level bound is undecidable...
    expect(evaluateMarker('python_full_version >= "3.11.4"', linux)).toBe("unknown");
    // ...but a bound every 3.11.x satisfies is decided.
    expect(evaluateMarker('python_full_version >= "3.8"', linux)).toBe("true");
    // Ordering of non-versions is not defined by PEP 508.
    expect(evaluateMarker('sys_platform < "m"', linux)).toBe("unknown");
  });

  it("uses three-valued logic for and/or", () => {
    const unknown = 'platform_release == "x"';
    expect(evaluateMarker(`${unknown} and sys_platform == "win32"`, linux)).toBe("false");
    expect(evaluateMarker(`${unknown} and sys_platform == "linux"`, linux)).toBe("unknown");
    expect(evaluateMarker(`${unknown} or sys_platform == "linux"`, linux)).toBe("true");
    expect(evaluateMarker(`${unknown} or sys_platform == "win32"`, linux)).toBe("unknown");
  });

  it("binds and tighter than or, and honours parentheses", () => {
    const marker = 'sys_platform == "linux" or sys_platform == "win32" and python_version < "3"';
    expect(evaluateMarker(marker, linux)).toBe("true");
    expect(evaluateMarker(`(sys_platform == "linux" or sys_platform == "win32") and python_version < "3"`, linux)).toBe(
      "false",
    );
  });

  it("reports malformed markers as unknown without throwing", () => {
    for (const bad of [
      'python_version >= "3',
      "and or",
      "((",
      'sys_platform "linux"',
      "",
      `${"(".repeat(500)}os_name == "nt"${")".repeat(500)}`,
    ]) {
      expect(isValidMarker(bad)).toBe(false);
      expect(evaluateMarker(bad, linux)).toBe("unknown");
    }
    expect(isValidMarker('os_name == "nt" and (python_version > "3")')).toBe(true);
  });
});
