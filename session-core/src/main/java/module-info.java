/**
 * clientsessions' engine: the session cache and client cache ({@code io.github.clientsessions.core})
 * and fan-out ({@code io.github.clientsessions.fanout}). No dependency beyond {@code java.base}.
 */
module io.github.clientsessions.core {
  exports io.github.clientsessions.core;
  exports io.github.clientsessions.fanout;
}
