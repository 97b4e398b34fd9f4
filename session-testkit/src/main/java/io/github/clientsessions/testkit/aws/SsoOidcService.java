package io.github.clientsessions.testkit.aws;

/**
 * IAM Identity Center OIDC of {@link SimulatedAws}: {@code CreateToken}, answered by the
 * {@link SsoService} whose sign-ins it refreshes.
 *
 * <p>Thread-safe: it keeps no state of its own.
 */
final class SsoOidcService implements SimulatedService {
  private final SsoService sso;

  SsoOidcService(SsoService sso) {
    this.sso = sso;
  }

  @Override
  public Operation.Service service() {
    return Operation.Service.SSO_OIDC;
  }

  @Override
  public Answer answer(Call call) {
    if (call.op() != Operation.SSO_OIDC_CREATE_TOKEN) {
      throw new IllegalArgumentException("not an OIDC operation: " + call.op());
    }
    return sso.createToken(call.op(), call.params());
  }
}
