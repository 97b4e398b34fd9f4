package io.github.clientsessions.aws.internal;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Writes the files this module keeps between runs (the organization's listing, a refreshed IAM
 * Identity Center token): whole or not at all, readable by their owner only. Stateless;
 * thread-safe (concurrent writers of one file each replace it whole; the last move wins).
 */
public final class PrivateFiles {

  private PrivateFiles() {}

  /**
   * Writes {@code bytes} to {@code file} through a temporary file in the same directory (created
   * if missing), moved into place (atomically where the file system can), readable by its owner
   * only where the file system has POSIX permissions. On failure the temporary file is removed.
   *
   * @param prefix the temporary file's name prefix, e.g. {@code .organization-}
   */
  public static void write(Path file, byte[] bytes, String prefix) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path temp = Files.createTempFile(dir, prefix, ".tmp");
    try {
      try {
        Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException e) {
        // not a POSIX file system: the directory's permissions apply
      }
      Files.write(temp, bytes);
      try {
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE,
            StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException | RuntimeException e) {
      try {
        Files.deleteIfExists(temp);
      } catch (IOException ignored) {
        // best effort; the caller reports the failure
      }
      throw e;
    }
  }
}
