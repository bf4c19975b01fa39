package dev.ferry.cli;

import dev.ferry.load.IfExists;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

final class IfExistsConverter implements ITypeConverter<IfExists> {
  @Override
  public IfExists convert(String value) {
    try {
      return IfExists.valueOf(value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new TypeConversionException(
          "'" + value + "' is not one of fail, drop, truncate, append");
    }
  }
}
