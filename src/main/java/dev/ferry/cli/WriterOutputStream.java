package dev.ferry.cli;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/** Lets code that prints to a PrintStream write to picocli's PrintWriter (so tests capture it). */
final class WriterOutputStream extends OutputStream {
  private final PrintWriter writer;
  private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

  /** A UTF-8 PrintStream onto the command's output, for code that prints reports. */
  /** The command's error stream (messages that must not mix with machine output). */
  static java.io.PrintStream errStream(picocli.CommandLine.Model.CommandSpec spec) {
    return new java.io.PrintStream(
        new WriterOutputStream(spec.commandLine().getErr()), true, StandardCharsets.UTF_8);
  }

  static java.io.PrintStream printStream(picocli.CommandLine.Model.CommandSpec spec) {
    return new java.io.PrintStream(
        new WriterOutputStream(spec.commandLine().getOut()), true, StandardCharsets.UTF_8);
  }

  WriterOutputStream(PrintWriter writer) {
    this.writer = writer;
  }

  @Override
  public synchronized void write(int b) {
    pending.write(b);
    if (b == '\n') {
      flush();
    }
  }

  @Override
  public synchronized void write(byte[] b, int off, int len) {
    pending.write(b, off, len);
    flush();
  }

  @Override
  public synchronized void flush() {
    writer.write(pending.toString(StandardCharsets.UTF_8));
    writer.flush();
    pending.reset();
  }
}
