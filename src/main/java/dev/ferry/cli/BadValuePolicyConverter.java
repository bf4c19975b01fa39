package dev.ferry.cli;

import dev.ferry.value.BadValuePolicy;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

final class BadValuePolicyConverter implements ITypeConverter<BadValuePolicy> {
  @Override
  public BadValuePolicy convert(String value) {
    try {
      return BadValuePolicy.valueOf(value.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
    } catch (IllegalArgumentException e) {
      throw new TypeConversionException("'" + value + "' is not one of fix, set-aside, fail");
    }
  }
}
