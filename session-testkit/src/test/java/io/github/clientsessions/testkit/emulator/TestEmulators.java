package io.github.clientsessions.testkit.emulator;

import java.util.List;

/** Starting moto in integration tests, skipping (or failing under CI=true) where it is missing. */
final class TestEmulators {

  private TestEmulators() {}

  static AwsEmulator motoOrSkip() {
    try {
      return AwsEmulators.moto();
    } catch (AwsEmulatorUnavailableException e) {
      throw AwsEmulatorExtension.whenUnavailable(e, System::getenv);
    }
  }

  /** The pids of this JVM's descendant processes that run moto on {@code port}. */
  static List<Long> motoProcesses(int port) {
    return ProcessHandle.current()
        .descendants()
        .filter(ProcessHandle::isAlive)
        .filter(
            handle -> {
              String commandLine = handle.info().commandLine().orElse("");
              return commandLine.contains("moto.server") && commandLine.endsWith("-p " + port);
            })
        .map(ProcessHandle::pid)
        .toList();
  }
}
