package io.github.clientsessions.testkit.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.clientsessions.core.SessionClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** How a moto start fails, with fake "python" scripts in place of moto. */
@DisabledOnOs(OS.WINDOWS)
class MotoServerStartFailureTest {

  @Test
  void aProcessThatExitsEarlyIsReportedWithItsLog(@TempDir Path dir) throws Exception {
    Path python = EmulatorSelectorTest.script(dir, "echo 'boom: address in use' >&2\nexit 3");

    assertThatThrownBy(() -> MotoServer.start(python.toString(), Duration.ofSeconds(30), SessionClock.system()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("exited with code 3 before answering")
        .hasMessageContaining("boom: address in use");
  }

  @Test
  void aProcessThatNeverAnswersIsKilledWithItsChildrenAfterTheTimeout(@TempDir Path dir)
      throws Exception {
    Path pids = dir.resolve("pids");
    // A shell (the "server") with a child: both must be gone after the failed start.
    Path python =
        EmulatorSelectorTest.script(
            dir, "sleep 300 &\necho $$ > '" + pids + ".tmp'\necho $! >> '" + pids + ".tmp'\n"
                + "mv '" + pids + ".tmp' '" + pids + "'\nwait");

    assertThatThrownBy(() -> MotoServer.start(python.toString(), Duration.ofSeconds(3), SessionClock.system()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("did not answer within 3 s");

    List<String> started = Files.readAllLines(pids);
    assertThat(started).hasSize(2);
    for (String pid : started) {
      assertThat(ProcessHandle.of(Long.parseLong(pid.trim())).filter(ProcessHandle::isAlive))
          .as("process %s", pid)
          .isEmpty();
    }
  }
}
