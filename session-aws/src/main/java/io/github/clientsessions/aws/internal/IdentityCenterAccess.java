package io.github.clientsessions.aws.internal;

import io.github.clientsessions.core.FailureKind;
import java.util.List;

/**
 * What the discovery package needs of a manager with an IAM Identity Center permission set: the
 * accounts the signed-in user may reach with it, and how to word a failure of that listing. The
 * manager's wiring implements it; {@link ManagerAccess.Parts#identityCenter()} hands it over.
 *
 * <p>Implementations are thread-safe.
 */
public interface IdentityCenterAccess {

  /** An account the signed-in user may reach with the permission set. */
  record AssignedAccount(String id, String name, String email) {}

  /** The permission set's name. */
  String permissionSet();

  /** The user's session, for messages, e.g. {@code sso-session 'my-sso'}; never a token. */
  String describe();

  /**
   * Every account of the portal's {@code ListAccounts} (every page) in which
   * {@code ListAccountRoles} lists the permission set, in the portal's order.
   *
   * @throws RuntimeException a failure of the token or of a portal call, for {@link #classify};
   *     its message is one line for people when the failure is one the manager recognised
   */
  List<AssignedAccount> assignedAccounts();

  /** The kind of a failure {@link #assignedAccounts()} threw. */
  FailureKind classify(Throwable failure);
}
