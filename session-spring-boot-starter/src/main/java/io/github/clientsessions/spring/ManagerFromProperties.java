package io.github.clientsessions.spring;

import io.github.clientsessions.aws.AwsSessionManager;
import io.github.clientsessions.aws.AwsSessionManagerBuilder;
import io.github.clientsessions.aws.ManagerSpec;
import io.github.clientsessions.aws.ManagerSpec.Option;
import io.github.clientsessions.core.InvalidInputException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.boot.context.properties.bind.BindResult;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * Builds an {@link AwsSessionManager} from the {@code clientsessions.*} properties: one property
 * per {@link ManagerSpec#options() option of the spec}, named {@code clientsessions.} + its
 * {@link Option#key() key}, read as text with the option's own parser (the session tags as a map,
 * key by key; the transitive tag keys as a list), so that a new option of the library is a property without a line here. The
 * library's builders do all the checking: an {@link InvalidInputException} they throw is turned
 * into Spring Boot's {@link InvalidConfigurationPropertyValueException} naming the property and the
 * library's rule, which Boot's failure analysis prints with the value's origin.
 */
final class ManagerFromProperties {

  private ManagerFromProperties() {}

  /** The property of {@code option}. */
  static String property(Option<?> option) {
    return property(ClientSessionsProperties.PREFIX, option);
  }

  /** The property of {@code option} under {@code prefix}. */
  static String property(String prefix, Option<?> option) {
    return prefix + "." + option.key();
  }

  /**
   * The spec of the properties {@code binder} holds, then the manager configured by it and by the
   * customizers in order.
   *
   * @throws InvalidConfigurationPropertyValueException if the library rejects a property's value
   */
  static AwsSessionManager build(Binder binder, List<ClientSessionsBuilderCustomizer> customizers) {
    return build(binder, ClientSessionsProperties.PREFIX, customizers);
  }

  /**
   * As {@link #build(Binder, List)}, with the properties under {@code prefix}.
   *
   * @throws InvalidConfigurationPropertyValueException if the library rejects a property's value
   */
  static AwsSessionManager build(Binder binder, String prefix,
      List<ClientSessionsBuilderCustomizer> customizers) {
    Set<String> given = new TreeSet<>(); // the options a property set
    try {
      AwsSessionManagerBuilder b = AwsSessionManager.builder();
      for (Option<?> option : ManagerSpec.options()) {
        bind(binder, prefix, b, option, given);
      }
      for (ClientSessionsBuilderCustomizer customizer : customizers) {
        customizer.customize(b);
      }
      return b.build();
    } catch (InvalidInputException e) {
      Option<?> option = optionNamed(e.parameter());
      if (option == null) {
        throw e; // an option only a customizer sets: the library's message says it all
      }
      String name = property(prefix, option);
      // an option checked against another (the stale window against the prefetch window, say)
      // may be at its default, or set by a customizer: name the property all the same
      throw new InvalidConfigurationPropertyValueException(name, e.value(), rule(e)
          + (given.contains(e.parameter()) ? "" : " (" + name + " is not set: the value is the"
              + " library's default or a ClientSessionsBuilderCustomizer's)"));
    }
  }

  /** Sets {@code option} on {@code b} if its property is set, and records that it was. */
  private static <T> void bind(Binder binder, String prefix, AwsSessionManagerBuilder b,
      Option<T> option, Set<String> given) {
    Optional<T> value = read(binder, property(prefix, option), option);
    if (value.isPresent()) {
      given.add(option.name());
      b.set(option, value.get());
    }
  }

  @SuppressWarnings("unchecked")
  private static <T> Optional<T> read(Binder binder, String name, Option<T> option) {
    if (option.type() == Map.class) {
      BindResult<?> map = binder.bind(name, Bindable.mapOf(String.class, String.class));
      return map.isBound() ? Optional.of((T) map.get()) : Optional.empty();
    }
    if (option.type() == Set.class) {
      BindResult<?> set = binder.bind(name, Bindable.setOf(String.class));
      return set.isBound() ? Optional.of((T) Set.copyOf((Set<?>) set.get())) : Optional.empty();
    }
    BindResult<String> text = binder.bind(name, Bindable.of(String.class));
    return text.isBound() ? Optional.of(option.parse(text.get())) : Optional.empty();
  }

  private static Option<?> optionNamed(String name) {
    for (Option<?> option : ManagerSpec.options()) {
      if (option.name().equals(name)) {
        return option;
      }
    }
    return null;
  }

  /** The rule of the library's message, "Invalid {option} '{value}': {rule}". */
  private static String rule(InvalidInputException e) {
    String message = e.getMessage();
    String prefix = "Invalid " + e.parameter() + " "
        + (e.value() == null ? "null" : "'" + e.value() + "'") + ": ";
    return message != null && message.startsWith(prefix)
        ? message.substring(prefix.length()) : message;
  }
}
