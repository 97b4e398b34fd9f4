package io.github.clientsessions.testkit.aws;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * AWS Signature Version 4 with the JDK's crypto alone: {@link #verify} recomputes the signature of
 * a received request as the service would, {@link #sign} signs one (for the seeding helper, which
 * has no SDK). Only what STS, EC2 and Organizations requests use: header-based signatures,
 * {@code AWS4-HMAC-SHA256}, a path encoded twice (every service but S3).
 *
 * <p>Thread-safe: derived signing keys are cached per (secret, date, region, service), so a
 * verification costs one SHA-256 of the body, one of the canonical request and one HMAC.
 */
final class SigV4 {

  static final String ALGORITHM = "AWS4-HMAC-SHA256";
  private static final Pattern AUTHORIZATION = Pattern.compile(
      "AWS4-HMAC-SHA256\\s+Credential=([^/,\\s]+)/(\\d{8})/([^/]+)/([^/]+)/aws4_request,\\s*"
          + "SignedHeaders=([^,\\s]+),\\s*Signature=([0-9a-f]{64})");
  private static final HexFormat HEX = HexFormat.of();
  private static final int MAX_CACHED_KEYS = 10_000;

  private static final Map<String, byte[]> SIGNING_KEYS = new ConcurrentHashMap<>();
  // JCA lookups cost more than the hashing itself; one instance per thread (handler threads).
  private static final ThreadLocal<MessageDigest> SHA256 =
      perThread("SHA-256", () -> MessageDigest.getInstance("SHA-256"));
  private static final ThreadLocal<Mac> HMAC =
      perThread("HmacSHA256", () -> Mac.getInstance("HmacSHA256"));

  private SigV4() {}

  /**
   * The parts of a SigV4 {@code Authorization} header, or null when it is none.
   *
   * @param accessKeyId the key that signed
   * @param date the scope's date ({@code yyyyMMdd})
   */
  record Authorization(String accessKeyId, String date, String region, String service,
      String signedHeaders, String signature) {

    static @Nullable Authorization parse(@Nullable String header) {
      if (header == null) {
        return null;
      }
      Matcher m = AUTHORIZATION.matcher(header.trim());
      return m.matches() ? new Authorization(m.group(1), m.group(2), m.group(3), m.group(4),
          m.group(5), m.group(6)) : null;
    }
  }

  /**
   * Whether {@code auth.signature()} is the signature of the request with {@code secret}.
   *
   * @param headers a request header's values by name (any case), null when absent
   * @param amzDate the request's {@code X-Amz-Date}; its date must be the scope's
   */
  static boolean verify(Authorization auth, String secret, String method, String rawPath,
      String rawQuery, Function<String, List<String>> headers, String amzDate, byte[] body) {
    if (amzDate == null || !amzDate.startsWith(auth.date())) {
      return false;
    }
    StringBuilder canonicalHeaders = new StringBuilder(256);
    for (String name : auth.signedHeaders().split(";")) {
      List<String> values = headers.apply(name);
      if (values == null || !name.equals(name.toLowerCase(Locale.ROOT))) {
        return false; // a header signed but not sent, or a name not in canonical form
      }
      canonicalHeaders.append(name).append(':');
      for (int i = 0; i < values.size(); i++) {
        canonicalHeaders.append(i == 0 ? "" : ",").append(trimAll(values.get(i)));
      }
      canonicalHeaders.append('\n');
    }
    List<String> payloadHeader = headers.apply("x-amz-content-sha256");
    String bodyHash = HEX.formatHex(sha256(body));
    String payloadHash = payloadHeader != null && !payloadHeader.isEmpty()
        ? payloadHeader.get(0) : bodyHash;
    if (!payloadHash.equals("UNSIGNED-PAYLOAD") && !payloadHash.equals(bodyHash)) {
      return false;
    }
    String canonical = method + '\n' + canonicalPath(rawPath) + '\n'
        + canonicalQuery(rawQuery) + '\n' + canonicalHeaders + '\n' + auth.signedHeaders()
        + '\n' + payloadHash;
    String expected = signature(secret, auth.date(), auth.region(), auth.service(), amzDate,
        canonical);
    return MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
        auth.signature().getBytes(StandardCharsets.US_ASCII));
  }

  /**
   * The headers that sign a POST of {@code body} to {@code host} path {@code /}:
   * {@code Authorization}, {@code X-Amz-Date}, {@code X-Amz-Content-Sha256} and, for session
   * credentials, {@code X-Amz-Security-Token}. {@code contentType} and {@code target} (may be
   * null) are signed as well.
   */
  static Map<String, String> sign(String accessKeyId, String secret,
      @Nullable String sessionToken, String region, String service, String host,
      String contentType, @Nullable String target,
      byte[] body, java.time.Instant now) {
    return sign(accessKeyId, secret, sessionToken, region, service, host, contentType, target,
        body, now, true);
  }

  /**
   * As {@link #sign(String, String, String, String, String, String, String, String, byte[],
   * java.time.Instant)}, with {@code host} left out of the signed headers unless
   * {@code signHost} (for tests of the simulator's refusal of such a signature).
   */
  static Map<String, String> sign(String accessKeyId, String secret,
      @Nullable String sessionToken, String region, String service, String host,
      String contentType, @Nullable String target,
      byte[] body, java.time.Instant now, boolean signHost) {
    String amzDate = java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
        .withZone(java.time.ZoneOffset.UTC).format(now);
    String date = amzDate.substring(0, 8);
    String payloadHash = HEX.formatHex(sha256(body));
    TreeMap<String, String> signed = new TreeMap<>();
    if (signHost) {
      signed.put("host", host);
    }
    signed.put("content-type", contentType);
    signed.put("x-amz-date", amzDate);
    signed.put("x-amz-content-sha256", payloadHash);
    if (sessionToken != null) {
      signed.put("x-amz-security-token", sessionToken);
    }
    if (target != null) {
      signed.put("x-amz-target", target);
    }
    StringBuilder canonicalHeaders = new StringBuilder();
    signed.forEach((k, v) -> canonicalHeaders.append(k).append(':').append(v).append('\n'));
    String signedHeaders = String.join(";", signed.keySet());
    String canonical = "POST\n/\n\n" + canonicalHeaders + '\n' + signedHeaders + '\n'
        + payloadHash;
    String signature = signature(secret, date, region, service, amzDate, canonical);
    Map<String, String> out = new TreeMap<>();
    signed.forEach((k, v) -> {
      if (!k.equals("host")) {
        out.put(k, v);
      }
    });
    out.put("authorization", ALGORITHM + " Credential=" + accessKeyId + "/" + date + "/"
        + region + "/" + service + "/aws4_request, SignedHeaders=" + signedHeaders
        + ", Signature=" + signature);
    return out;
  }

  private static String signature(String secret, String date, String region, String service,
      String amzDate, String canonical) {
    String scope = date + "/" + region + "/" + service + "/aws4_request";
    String toSign = ALGORITHM + '\n' + amzDate + '\n' + scope + '\n'
        + HEX.formatHex(sha256(canonical.getBytes(StandardCharsets.UTF_8)));
    return HEX.formatHex(hmac(signingKey(secret, date, region, service),
        toSign.getBytes(StandardCharsets.UTF_8)));
  }

  private static byte[] signingKey(String secret, String date, String region, String service) {
    String cacheKey = date + '/' + region + '/' + service + '/' + secret;
    byte[] key = SIGNING_KEYS.get(cacheKey);
    if (key == null) {
      byte[] k = hmac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), utf8(date));
      k = hmac(k, utf8(region));
      k = hmac(k, utf8(service));
      key = hmac(k, utf8("aws4_request"));
      if (SIGNING_KEYS.size() >= MAX_CACHED_KEYS) {
        SIGNING_KEYS.clear(); // bounded: a long run issues many secrets
      }
      SIGNING_KEYS.put(cacheKey, key);
    }
    return key;
  }

  /** The path with each segment encoded once more, as every service but S3 signs it. */
  static String canonicalPath(String rawPath) {
    if (rawPath == null || rawPath.isEmpty()) {
      return "/";
    }
    StringBuilder b = new StringBuilder(rawPath.length() + 8);
    for (int i = 0; i < rawPath.length(); i++) {
      char c = rawPath.charAt(i);
      if (c == '/' || unreserved(c)) {
        b.append(c);
      } else {
        b.append('%').append(String.format("%02X", (int) c));
      }
    }
    return b.toString();
  }

  /** Pairs decoded, encoded again (RFC 3986), sorted by name then value. */
  static String canonicalQuery(String rawQuery) {
    if (rawQuery == null || rawQuery.isEmpty()) {
      return "";
    }
    List<String[]> pairs = new ArrayList<>();
    for (String pair : rawQuery.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = eq < 0 ? pair : pair.substring(0, eq);
      String value = eq < 0 ? "" : pair.substring(eq + 1);
      pairs.add(new String[] {encode(decode(name)), encode(decode(value))});
    }
    pairs.sort((a, b) -> a[0].equals(b[0]) ? a[1].compareTo(b[1]) : a[0].compareTo(b[0]));
    StringBuilder b = new StringBuilder(rawQuery.length() + 16);
    for (String[] p : pairs) {
      b.append(b.length() == 0 ? "" : "&").append(p[0]).append('=').append(p[1]);
    }
    return b.toString();
  }

  private static String decode(String s) {
    return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  /** RFC 3986 percent-encoding: everything but the unreserved characters. */
  static String encode(String s) {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    StringBuilder b = new StringBuilder(bytes.length + 8);
    for (byte x : bytes) {
      char c = (char) (x & 0xff);
      if (unreserved(c)) {
        b.append(c);
      } else {
        b.append('%').append(Character.toUpperCase(Character.forDigit((x >> 4) & 0xf, 16)))
            .append(Character.toUpperCase(Character.forDigit(x & 0xf, 16)));
      }
    }
    return b.toString();
  }

  private static boolean unreserved(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
        || c == '-' || c == '_' || c == '.' || c == '~';
  }

  private static String trimAll(String value) {
    String trimmed = value.trim();
    return trimmed.contains("  ") ? trimmed.replaceAll(" {2,}", " ") : trimmed;
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static byte[] sha256(byte[] data) {
    MessageDigest digest = SHA256.get();
    digest.reset();
    return digest.digest(data);
  }

  private static byte[] hmac(byte[] key, byte[] data) {
    try {
      Mac mac = HMAC.get();
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK's HmacSHA256 refused a key", e);
    }
  }

  private static <T> ThreadLocal<T> perThread(String what, Factory<T> factory) {
    return ThreadLocal.withInitial(() -> {
      try {
        return factory.create();
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("the JDK has no " + what, e);
      }
    });
  }

  /** A JCA lookup. */
  private interface Factory<T> {
    T create() throws GeneralSecurityException;
  }
}
