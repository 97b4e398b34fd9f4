/**
 * clientsessions' engine: the session cache and client cache ({@code io.github.clientsessions.core})
 * and fan-out ({@code io.github.clientsessions.fanout}). No dependency beyond {@code java.base} at
 * run time; the JSpecify nullness annotations are required statically (compile time only).
 */
module io.github.clientsessions.core {
  requires static org.jspecify;

  exports io.github.clientsessions.core;
  exports io.github.clientsessions.fanout;
}
