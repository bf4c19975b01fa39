package dev.ferry.cli;

import dev.ferry.FerryException;
import dev.ferry.run.RunSetting;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.TypeConversionException;

/**
 * The run settings one part of a command line takes (a command or a mixin), and the values the
 * parser gave them. The options themselves are generated from {@link RunSetting}: flag, label,
 * help, default and parsing come from that one definition, never from an annotation.
 */
class Settings {
  /** A command or mixin that takes run settings. */
  interface Taker {
    Settings settings();
  }

  private final Set<RunSetting> taken;
  private final Map<RunSetting, Object> values = new EnumMap<>(RunSetting.class);

  Settings(RunSetting first, RunSetting... more) {
    this.taken = java.util.EnumSet.of(first, more);
  }

  /** The value given on the command line, or the command line's default (null when none). */
  Object get(RunSetting setting) {
    Object v = values.get(setting);
    if (v == null && setting.type() == Boolean.class) {
      v = false; // a flag not given
    }
    return setting.negated() && v instanceof Boolean b ? !b : v;
  }

  /** Every taken setting with a value, ready for {@code RunOptions.Builder#setAll}. */
  Map<RunSetting, Object> values() {
    Map<RunSetting, Object> out = new EnumMap<>(RunSetting.class);
    for (RunSetting s : taken) {
      Object v = get(s);
      if (v != null) {
        out.put(s, v);
      }
    }
    return out;
  }

  void put(RunSetting setting, Object value) {
    values.put(setting, value);
  }

  /**
   * Adds the options of every {@link Taker} (the command object or one of its mixins) to each
   * command under {@code root}.
   */
  static void install(CommandLine root) {
    for (CommandLine sub : root.getSubcommands().values()) {
      CommandSpec spec = sub.getCommandSpec();
      List<Object> parts = new ArrayList<>();
      collect(spec, parts);
      for (Object part : parts) {
        if (part instanceof Taker t) {
          for (RunSetting s : t.settings().taken) {
            spec.addOption(option(s, t.settings()));
          }
        }
      }
      install(sub);
    }
  }

  /** The command's object and its mixins', nested ones too (a mixin may hold TargetOption). */
  private static void collect(CommandSpec spec, List<Object> parts) {
    parts.add(spec.userObject());
    spec.mixins().values().forEach(m -> collect(m, parts));
  }

  private static OptionSpec option(RunSetting s, Settings into) {
    OptionSpec.Builder b = OptionSpec.builder(s.flag()).description(s.help());
    if (s.type() == Boolean.class) {
      b.type(boolean.class).arity("0");
    } else if (s.isList()) {
      b.type(List.class).auxiliaryTypes(String.class).splitRegex(",").paramLabel(s.label());
    } else {
      b.type(s.type()).paramLabel(s.label()).converters(text -> parse(s, text));
    }
    if (s.cliDefault() != null) {
      b.defaultValue(s.cliDefault());
    }
    b.getter(
        new CommandLine.Model.IGetter() {
          @Override
          @SuppressWarnings({"unchecked", "TypeParameterUnusedInFormals"})
          public <T> T get() {
            return (T) into.values.get(s);
          }
        });
    b.setter(
        new CommandLine.Model.ISetter() {
          @Override
          @SuppressWarnings("unchecked")
          public <T> T set(T value) {
            T old = (T) into.values.get(s);
            into.put(s, value);
            return old;
          }
        });
    return b.build();
  }

  private static Object parse(RunSetting s, String text) {
    try {
      return s.parse(text);
    } catch (FerryException e) {
      throw new TypeConversionException(e.getMessage());
    }
  }
}
