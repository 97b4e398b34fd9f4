package io.github.clientsessions.aws.discovery;

import static io.github.clientsessions.aws.discovery.OrganizationsAccounts.required;
import static io.github.clientsessions.aws.discovery.OrganizationsAccounts.text;

import io.github.clientsessions.aws.internal.PrivateFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;
import software.amazon.awssdk.protocols.jsoncore.JsonNodeParser;
import software.amazon.awssdk.protocols.jsoncore.JsonWriter;

/**
 * An organization's structure as one walk found it: its ID, its management account, every root
 * and organizational unit (ID → name) and every account with its state and OU path (no tags).
 * Written to and read from the optional cache file as JSON (the SDK's {@code jsoncore}); it
 * holds account metadata only, never credentials.
 *
 * <p>The walk: {@code DescribeOrganization}, {@code ListRoots}, then from each root down,
 * {@code ListOrganizationalUnitsForParent} and {@code ListAccountsForParent} for every parent,
 * every page.
 *
 * <p>Immutable value; thread-safe.
 *
 * @param key what the listing was made for (caller and endpoint); a file made for another key
 *     is not used
 * @param units every root and OU, ID → name, in walk order
 */
record OrganizationListing(String key, Instant fetchedAt, String organizationId,
    String managementAccountId, Map<String, String> units, List<OrganizationAccount> accounts) {

  private static final int FORMAT = 1;
  private static final System.Logger LOG =
      System.getLogger(OrganizationListing.class.getName());

  OrganizationListing {
    units = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(units));
    accounts = List.copyOf(accounts);
  }

  /** Walks the organization through {@code client}. */
  static OrganizationListing walk(OrganizationsAccounts client, String key, Instant now) {
    JsonNode organization = client.call("DescribeOrganization", Map.of())
        .field("Organization").orElse(JsonNode.emptyObjectNode());
    String organizationId = Optional.ofNullable(text(organization, "Id")).orElse("");
    String management = Optional.ofNullable(text(organization, "MasterAccountId")).orElse("");
    Map<String, String> units = new LinkedHashMap<>();
    List<OrganizationAccount> accounts = new ArrayList<>();
    record Parent(String id, List<String> ids, List<String> names) {}
    Deque<Parent> queue = new ArrayDeque<>();
    for (JsonNode root : client.list("ListRoots", Map.of(), "Roots", true)) {
      String id = required(root, "Id");
      String name = Optional.ofNullable(text(root, "Name")).orElse("Root");
      units.put(id, name);
      queue.add(new Parent(id, List.of(id), List.of(name)));
    }
    while (!queue.isEmpty()) {
      Parent parent = queue.poll();
      Map<String, String> byParent = Map.of("ParentId", parent.id());
      for (JsonNode account : client.list("ListAccountsForParent", byParent, "Accounts", true)) {
        String value = OrganizationsAccounts.stateValue(account);
        accounts.add(new OrganizationAccount(required(account, "Id"),
            Optional.ofNullable(text(account, "Name")).orElse(""),
            Optional.ofNullable(text(account, "Email")).orElse(""),
            AccountState.of(value.isEmpty() ? null : value), value, parent.ids(), parent.names(),
            Map.of()));
      }
      for (JsonNode unit : client.list("ListOrganizationalUnitsForParent", byParent,
          "OrganizationalUnits", true)) {
        String id = required(unit, "Id");
        String name = Optional.ofNullable(text(unit, "Name")).orElse(id);
        if (units.putIfAbsent(id, name) == null) { // a cycle would be AWS's bug, not a hang
          queue.add(new Parent(id, append(parent.ids(), id), append(parent.names(), name)));
        }
      }
    }
    return new OrganizationListing(key, now, organizationId, management, units, accounts);
  }

  private static List<String> append(List<String> list, String element) {
    List<String> longer = new ArrayList<>(list);
    longer.add(element);
    return longer;
  }

  /** The listing as the cache file's JSON. */
  byte[] toJson() {
    try (JsonWriter json = JsonWriter.create()) {
      json.writeStartObject()
          .writeFieldName("format").writeValue(FORMAT)
          .writeFieldName("key").writeValue(key)
          .writeFieldName("fetchedAt").writeValue(fetchedAt.toString())
          .writeFieldName("organizationId").writeValue(organizationId)
          .writeFieldName("managementAccountId").writeValue(managementAccountId)
          .writeFieldName("units").writeStartArray();
      for (Map.Entry<String, String> unit : units.entrySet()) {
        json.writeStartObject().writeFieldName("id").writeValue(unit.getKey())
            .writeFieldName("name").writeValue(unit.getValue()).writeEndObject();
      }
      json.writeEndArray().writeFieldName("accounts").writeStartArray();
      for (OrganizationAccount a : accounts) {
        json.writeStartObject()
            .writeFieldName("id").writeValue(a.id())
            .writeFieldName("name").writeValue(a.name())
            .writeFieldName("email").writeValue(a.email())
            .writeFieldName("state").writeValue(a.stateValue())
            .writeFieldName("ouIds").writeStartArray();
        for (String id : a.ouIds()) {
          json.writeValue(id);
        }
        json.writeEndArray().writeFieldName("ouNames").writeStartArray();
        for (String name : a.ouNames()) {
          json.writeValue(name);
        }
        json.writeEndArray().writeEndObject();
      }
      return json.writeEndArray().writeEndObject().getBytes();
    }
  }

  /** The listing in {@code json}, or empty if it is not a listing of this format. */
  static Optional<OrganizationListing> fromJson(byte[] bytes) {
    try {
      JsonNode json = JsonNodeParser.create().parse(bytes);
      if (!json.field("format").map(n -> n.isNumber() && n.asNumber().equals("1")).orElse(false)) {
        return Optional.empty();
      }
      Map<String, String> units = new LinkedHashMap<>();
      for (JsonNode unit : json.field("units").orElseThrow().asArray()) {
        units.put(required(unit, "id"), required(unit, "name"));
      }
      List<OrganizationAccount> accounts = new ArrayList<>();
      for (JsonNode a : json.field("accounts").orElseThrow().asArray()) {
        String value = required(a, "state");
        accounts.add(new OrganizationAccount(required(a, "id"), required(a, "name"),
            required(a, "email"),
            AccountState.of(value.isEmpty() ? null : value), value, strings(a, "ouIds"),
            strings(a, "ouNames"), Map.of()));
      }
      return Optional.of(new OrganizationListing(required(json, "key"),
          Instant.parse(required(json, "fetchedAt")), required(json, "organizationId"),
          required(json, "managementAccountId"), units, accounts));
    } catch (RuntimeException e) { // not JSON, a field missing or of the wrong type
      LOG.log(System.Logger.Level.WARNING, "Ignoring an organization cache file that is not a"
          + " listing of format " + FORMAT + ": " + e);
      return Optional.empty();
    }
  }

  private static List<String> strings(JsonNode node, String field) {
    return node.field(field).orElseThrow().asArray().stream().map(JsonNode::asString).toList();
  }

  /** The listing in {@code file} if it exists and is readable, else empty. */
  static Optional<OrganizationListing> read(Path file) {
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      return fromJson(Files.readAllBytes(file));
    } catch (IOException e) {
      LOG.log(System.Logger.Level.WARNING, "Cannot read the organization cache file " + file
          + ": " + e);
      return Optional.empty();
    }
  }

  /**
   * Writes the listing to {@code file} through a temporary file in the same directory, moved
   * into place (atomically where the file system can), readable by its owner only where the
   * file system has POSIX permissions. A failure is logged, not thrown: the cache is an
   * optimisation.
   */
  void write(Path file) {
    try {
      PrivateFiles.write(file, toJson(), ".organization-");
    } catch (IOException e) {
      LOG.log(System.Logger.Level.WARNING, "Cannot write the organization cache file " + file
          + ": " + e);
    }
  }

}
