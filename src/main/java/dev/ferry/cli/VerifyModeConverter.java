package dev.ferry.cli;

import dev.ferry.verify.Verifier;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

final class VerifyModeConverter implements ITypeConverter<Verifier.Mode> {
  @Override
  public Verifier.Mode convert(String value) {
    try {
      return Verifier.Mode.valueOf(value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new TypeConversionException("'" + value + "' is not one of count, checksum, full");
    }
  }
}
