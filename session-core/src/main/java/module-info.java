/**
 * clientsessions' engine. Packages by audience:
 *
 * <ul>
 *   <li>{@code io.github.clientsessions.core}: what applications use (the session manager, its
 *       factory, accounts and targets, policies, stats, exceptions);
 *   <li>{@code io.github.clientsessions.core.spi}: what an adapter implements (credential
 *       sources, client types, target validators);
 *   <li>{@code io.github.clientsessions.fanout}: fan-out over targets, streaming and sharding;
 *   <li>{@code io.github.clientsessions.core.internal}: the engine itself, exported only to the
 *       AWS adapter, which shares its builder and rate-limiting helpers.
 * </ul>
 *
 * <p>No dependency beyond {@code java.base} at run time; the JSpecify nullness annotations are
 * required statically (compile time only).
 */
module io.github.clientsessions.core {
  requires static org.jspecify;

  exports io.github.clientsessions.core;
  exports io.github.clientsessions.core.spi;
  exports io.github.clientsessions.fanout;
  exports io.github.clientsessions.core.internal to io.github.clientsessions.aws;
}
