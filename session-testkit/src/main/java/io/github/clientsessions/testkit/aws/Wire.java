package io.github.clientsessions.testkit.aws;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@link SimulatedAws} reads and writes on the wire: forms, XML and JSON, in the shapes of
 * the AWS protocols as Smithy specifies them (https://smithy.io/2.0/aws/protocols/):
 * {@code awsQuery} (STS), {@code ec2Query} (EC2) and {@code awsJson1_1} (Organizations).
 */
final class Wire {

  private static final Pattern JSON_STRING_FIELD = Pattern.compile("\"(\\w+)\"\\s*:\\s*\"([^\"]*)\"");
  private static final Pattern JSON_NUMBER_FIELD = Pattern.compile("\"(\\w+)\"\\s*:\\s*(-?\\d+)");

  /** The {@code xmlNamespace} of the STS and EC2 service models (2011-06-15, 2016-11-15). */
  static final String STS_NS = "https://sts.amazonaws.com/doc/2011-06-15/";
  static final String EC2_NS = "http://ec2.amazonaws.com/doc/2016-11-15/";

  private Wire() {}

  /** An {@code application/x-www-form-urlencoded} body or query string, as a map. */
  static Map<String, String> form(String encoded) {
    Map<String, String> params = new HashMap<>();
    if (encoded == null || encoded.isEmpty()) {
      return params;
    }
    for (String pair : encoded.split("&")) {
      int eq = pair.indexOf('=');
      String key = eq < 0 ? pair : pair.substring(0, eq);
      String value = eq < 0 ? "" : pair.substring(eq + 1);
      params.put(URLDecoder.decode(key, StandardCharsets.UTF_8),
          URLDecoder.decode(value, StandardCharsets.UTF_8));
    }
    return params;
  }

  /** The values of {@code prefix.1}, {@code prefix.2}, ... of a query request, in order. */
  static List<String> indexed(Map<String, String> params, String prefix) {
    List<String> values = new ArrayList<>();
    for (int n = 1; params.containsKey(prefix + "." + n); n++) {
      values.add(params.get(prefix + "." + n));
    }
    return values;
  }

  /** The top-level string and integer fields of a flat JSON object (what the requests send). */
  static Map<String, String> jsonFields(String json) {
    Map<String, String> fields = new HashMap<>();
    Matcher s = JSON_STRING_FIELD.matcher(json);
    while (s.find()) {
      fields.put(s.group(1), s.group(2));
    }
    Matcher n = JSON_NUMBER_FIELD.matcher(json);
    while (n.find()) {
      fields.putIfAbsent(n.group(1), n.group(2));
    }
    return fields;
  }

  /** {@code value} escaped for XML text. */
  static String xml(String value) {
    StringBuilder b = new StringBuilder(value.length() + 8);
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '&' -> b.append("&amp;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&apos;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }

  /** {@code value} escaped for a JSON string. */
  static String json(String value) {
    StringBuilder b = new StringBuilder(value.length() + 8);
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '"' || c == '\\') {
        b.append('\\').append(c);
      } else if (c < 0x20) {
        b.append(String.format("\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }

  /** An ISO-8601 timestamp to the second, as the query protocols write timestamps. */
  static String timestamp(Instant instant) {
    return instant.truncatedTo(ChronoUnit.SECONDS).toString();
  }

  /**
   * A query-protocol error body: STS's {@code ErrorResponse} with the error's {@code Type}
   * ({@code Sender}, or {@code Receiver} for a server fault) and {@code RequestId} (Smithy's
   * awsQuery "Operation error serialization"), or EC2's {@code Response/Errors/Error} with
   * {@code RequestID} ("Example error response" in EC2's error codes page; Smithy's ec2Query).
   */
  static String queryError(Operation.Service service, String code, String message,
      String requestId) {
    if (service == Operation.Service.EC2) {
      return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response><Errors><Error><Code>" + code
          + "</Code><Message>" + xml(message) + "</Message></Error></Errors><RequestID>"
          + requestId + "</RequestID></Response>";
    }
    return "<ErrorResponse xmlns=\"" + STS_NS + "\">\n  <Error>\n    <Type>"
        + (code.equals("InternalFailure") ? "Receiver" : "Sender") + "</Type>\n    <Code>" + code
        + "</Code>\n    <Message>" + xml(message) + "</Message>\n  </Error>\n  <RequestId>"
        + requestId + "</RequestId>\n</ErrorResponse>\n";
  }

  /**
   * A JSON 1.1 error body: the code in {@code __type} and the message (Smithy's awsJson1_1
   * "Operation error serialization"; the SDK reads {@code message} or {@code Message}).
   */
  static String jsonError(String code, String message) {
    return "{\"__type\":\"" + code + "\",\"message\":\"" + json(message) + "\"}";
  }
}
