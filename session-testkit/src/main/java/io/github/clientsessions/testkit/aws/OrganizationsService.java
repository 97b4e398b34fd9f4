package io.github.clientsessions.testkit.aws;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Organizations of {@link SimulatedAws}: one organization, created by its first account or unit,
 * whose management account is the default account; its root, organizational units and accounts
 * (with their tags), answered to the management account only, in JSON 1.1, paginated with
 * {@code NextToken}.
 *
 * <p>Sources: the Organizations service model ({@code botocore/data/organizations/2016-11-28/
 * service-2.json}, the text of the Organizations API Reference): each operation's errors
 * ({@code AccessDeniedException}, {@code AWSOrganizationsNotInUseException},
 * {@code InvalidInputException}, {@code ParentNotFoundException},
 * {@code TargetNotFoundException}), {@code MaxResults} from 1 to 20, the ID patterns (a root
 * {@code r-} and 4 to 32 characters, a unit {@code ou-}, 4 to 32, {@code -}, 8 to 32, an
 * organization {@code o-} and 10 to 32), and the {@code Account} structure. Client errors are
 * answered 400 (a guess: a JSON 1.1 error carries its code in {@code __type}, and the SDK reads
 * the status only to tell a client's fault from the service's); their messages are short forms
 * of each error's documentation (guesses in their wording). The JSON 1.1 protocol's shapes follow
 * Smithy's {@code aws.protocols#awsJson1_1}.
 *
 * <p>Concurrency: the accounts and units are guarded by {@link #lock}; a request answers from a
 * snapshot of both taken under it, so it never holds the lock while it writes its answer.
 */
final class OrganizationsService implements SimulatedService {
  private static final String ROOT_ID = "r-sim0";
  private static final String ORGANIZATION_ID = "o-simulated0";
  private static final int MAX_PAGE = 20; // the model's MaxResults maximum

  private final String management;
  private final Replies replies;
  private final Object lock = new Object();
  private final Map<String, OrgAccount> accounts = new LinkedHashMap<>(); // guarded by lock
  private final Map<String, Ou> units = new LinkedHashMap<>(); // guarded by lock

  OrganizationsService(String management, Replies replies) {
    this.management = management;
    this.replies = replies;
  }

  /** An account of the organization. */
  private record OrgAccount(String id, String name, String email, String state, String parent,
      Map<String, String> tags) {}

  /** An organizational unit. */
  private record Ou(String id, String name, String parent) {}

  /** The organization as one request sees it: its accounts and units, in the order added. */
  private record Snapshot(OrgAccount[] accounts, Ou[] units) {
    @Nullable OrgAccount account(String id) {
      return Arrays.stream(accounts).filter(a -> a.id().equals(id)).findFirst().orElse(null);
    }

    boolean isParent(@Nullable String id) {
      return ROOT_ID.equals(id) || Arrays.stream(units).anyMatch(u -> u.id().equals(id));
    }
  }

  /** The ID of the organization's only root. */
  String root() {
    return ROOT_ID;
  }

  /** Adds or replaces an account (see {@link SimulatedAws#addOrganizationAccount}). */
  void addAccount(String id, String name, String state, String parentId,
      Map<String, String> tags) {
    if (id == null || !id.matches("\\d{12}")) {
      throw new IllegalArgumentException("an account ID is 12 digits, not " + id);
    }
    Objects.requireNonNull(name, "name");
    if (state == null || !state.matches("[A-Z_]+")) {
      throw new IllegalArgumentException("a state is an upper-case word, not " + state);
    }
    Map<String, String> copy = Map.copyOf(tags);
    synchronized (lock) {
      requireParent(parentId);
      createOrganization();
      accounts.put(id, new OrgAccount(id, name, name + "@example.com", state, parentId, copy));
    }
  }

  /** Adds a unit (see {@link SimulatedAws#addOrganizationalUnit}); returns its ID. */
  String addUnit(String parentId, String name) {
    Objects.requireNonNull(name, "name");
    synchronized (lock) {
      requireParent(parentId);
      createOrganization();
      String id = String.format("ou-sim0-%08d", units.size() + 1);
      units.put(id, new Ou(id, name, parentId));
      return id;
    }
  }

  /** Forgets the organization. */
  void reset() {
    synchronized (lock) {
      accounts.clear();
      units.clear();
    }
  }

  private void requireParent(String parentId) { // holds lock
    if (!ROOT_ID.equals(parentId) && !units.containsKey(parentId)) {
      throw new IllegalArgumentException("no root or organizational unit " + parentId);
    }
  }

  private void createOrganization() { // holds lock
    if (accounts.isEmpty()) {
      accounts.put(management, new OrgAccount(management, "management",
          "management@example.com", "ACTIVE", ROOT_ID, Map.of()));
    }
  }

  @Override
  public Operation.Service service() {
    return Operation.Service.ORGANIZATIONS;
  }

  /**
   * Organizations as AWS answers its management account: any other caller is denied (a member)
   * or told it belongs to no organization. (The model's documentation of each listing: "This
   * operation can be called only from the organization's management account or by a member
   * account that is a delegated administrator"; delegated administrators are not modelled.)
   */
  @Override
  public Answer answer(Call call) {
    Operation op = call.op();
    Map<String, String> params = call.params();
    Snapshot org;
    synchronized (lock) {
      org = new Snapshot(accounts.values().toArray(OrgAccount[]::new),
          units.values().toArray(Ou[]::new));
    }
    Answer refused = refusal(op, org, call.account());
    if (refused != null) {
      return refused;
    }
    String parent = params.get("ParentId");
    boolean byParent = op == Operation.ORGANIZATIONS_LIST_OUS_FOR_PARENT
        || op == Operation.ORGANIZATIONS_LIST_ACCOUNTS_FOR_PARENT;
    if (byParent && !org.isParent(parent)) {
      return replies.error(op, 400, "ParentNotFoundException",
          "We can't find a root or OU with the ParentId that you specified.");
    }
    return switch (op) {
      case ORGANIZATIONS_DESCRIBE_ORGANIZATION -> describeOrganization();
      case ORGANIZATIONS_LIST_ROOTS -> page(op, params, "Roots", List.of(rootItem()));
      case ORGANIZATIONS_LIST_OUS_FOR_PARENT ->
          page(op, params, "OrganizationalUnits", unitItems(org, parent));
      case ORGANIZATIONS_LIST_TAGS_FOR_RESOURCE -> listTags(op, params, org);
      case ORGANIZATIONS_LIST_ACCOUNTS, ORGANIZATIONS_LIST_ACCOUNTS_FOR_PARENT ->
          page(op, params, "Accounts", accountItems(org, parent));
      default -> throw new IllegalArgumentException("not an Organizations operation: " + op);
    };
  }

  /** Why {@code caller} may not call Organizations, or null if it is the management account. */
  private @Nullable Answer refusal(Operation op, Snapshot org, String caller) {
    if (org.accounts().length == 0) {
      return notInUse(op);
    }
    if (caller.equals(management)) {
      return null;
    }
    return org.account(caller) != null ? replies.error(op, 400, "AccessDeniedException",
        "You don't have permissions to access this resource.") : notInUse(op);
  }

  private Answer notInUse(Operation op) {
    return replies.error(op, 400, "AWSOrganizationsNotInUseException",
        "Your account is not a member of an organization.");
  }

  private String arn() {
    return "arn:aws:organizations::" + management + ":";
  }

  private Answer describeOrganization() {
    return Answer.json(200, "{\"Organization\":{\"Arn\":\"" + arn() + "organization/"
        + ORGANIZATION_ID + "\",\"FeatureSet\":\"ALL\",\"Id\":\"" + ORGANIZATION_ID
        + "\",\"MasterAccountArn\":\"" + arn() + "account/" + ORGANIZATION_ID + "/"
        + management + "\",\"MasterAccountEmail\":\"" + management
        + "@example.com\",\"MasterAccountId\":\"" + management + "\"}}");
  }

  private String rootItem() {
    return "{\"Arn\":\"" + arn() + "root/" + ORGANIZATION_ID + "/" + ROOT_ID
        + "\",\"Id\":\"" + ROOT_ID + "\",\"Name\":\"Root\",\"PolicyTypes\":[]}";
  }

  private List<String> unitItems(Snapshot org, @Nullable String parent) {
    List<String> items = new ArrayList<>();
    for (Ou u : org.units()) {
      if (u.parent().equals(parent)) {
        items.add("{\"Arn\":\"" + arn() + "ou/" + ORGANIZATION_ID + "/" + u.id()
            + "\",\"Id\":\"" + u.id() + "\",\"Name\":\"" + Wire.json(u.name()) + "\"}");
      }
    }
    return items;
  }

  /**
   * The accounts under {@code parent}, or all if it is null ({@code ListAccounts}). Each with
   * {@code State} and without {@code Status}: the model says {@code Status} "will be retired on
   * September 9, 2026" in favour of {@code State} (ACTIVE, SUSPENDED, PENDING_CLOSURE, CLOSED,
   * PENDING_ACTIVATION), and this simulator answers as AWS does after that date; so clients
   * that still read {@code Status} fail here as they will there. {@code Paths} is not
   * modelled.
   */
  private List<String> accountItems(Snapshot org, @Nullable String parent) {
    List<String> items = new ArrayList<>();
    for (OrgAccount a : org.accounts()) {
      if (parent == null || a.parent().equals(parent)) {
        items.add("{\"Arn\":\"" + arn() + "account/" + ORGANIZATION_ID + "/" + a.id()
            + "\",\"Email\":\"" + Wire.json(a.email()) + "\",\"Id\":\"" + a.id()
            + "\",\"JoinedMethod\":\"CREATED\",\"JoinedTimestamp\":1.7E9,\"Name\":\""
            + Wire.json(a.name()) + "\",\"State\":\"" + Wire.json(a.state()) + "\"}");
      }
    }
    return items;
  }

  private Answer listTags(Operation op, Map<String, String> params, Snapshot org) {
    OrgAccount account = org.account(params.getOrDefault("ResourceId", ""));
    if (account == null) {
      return replies.error(op, 400, "TargetNotFoundException",
          "We can't find a resource with the specified ID.");
    }
    List<String> items = new ArrayList<>();
    account.tags().forEach((k, v) -> items.add("{\"Key\":\"" + Wire.json(k)
        + "\",\"Value\":\"" + Wire.json(v) + "\"}"));
    return page(op, params, "Tags", items);
  }

  /**
   * One page of {@code items}: {@code MaxResults} from 1 to 20 (the model's {@code MaxResults}
   * shape; 20 when absent, a guess: AWS documents no default), {@code NextToken} an opaque token
   * (here {@code sim-} and an offset); an out-of-range value or a token not issued is
   * {@code InvalidInputException} (its reasons include {@code MAX_VALUE_EXCEEDED} and
   * {@code INVALID_NEXT_TOKEN}; the {@code Reason} field is not sent).
   */
  private Answer page(Operation op, Map<String, String> params, String field,
      List<String> items) {
    int max = MAX_PAGE;
    int from = 0;
    try {
      if (params.containsKey("MaxResults")) {
        max = Integer.parseInt(params.get("MaxResults"));
      }
      if (params.containsKey("NextToken")) {
        String token = params.get("NextToken");
        from = token.startsWith("sim-") ? Integer.parseInt(token.substring(4)) : -1;
      }
    } catch (NumberFormatException e) {
      from = -1;
    }
    if (max < 1 || max > MAX_PAGE || from < 0 || from > items.size()) {
      return replies.error(op, 400, "InvalidInputException",
          "You provided a value that does not match the required pattern.");
    }
    int to = Math.min(items.size(), from + max);
    StringBuilder b = new StringBuilder(64 + 260 * (to - from)).append("{\"").append(field)
        .append("\":[");
    for (int i = from; i < to; i++) {
      b.append(i == from ? "" : ",").append(items.get(i));
    }
    b.append(']');
    if (to < items.size()) {
      b.append(",\"NextToken\":\"sim-").append(to).append('"');
    }
    return Answer.json(200, b.append('}').toString());
  }
}
