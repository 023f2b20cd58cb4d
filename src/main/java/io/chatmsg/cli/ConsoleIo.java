package io.chatmsg.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStyle;

/**
 * Where the terminal client reads and prints. On a terminal, JLine keeps the
 * prompt and the half-typed line intact while server lines are printed above
 * it, with colours; when input or output is redirected, plain lines.
 */
abstract class ConsoleIo implements AutoCloseable {

    static ConsoleIo open() throws IOException {
        return System.console() != null ? new Interactive() : new Plain();
    }

    /** The next typed line, or null at end of input. */
    abstract String readLine() throws IOException;

    abstract void reply(String line);

    abstract void event(String line);

    abstract void info(String text);

    /** Unblocks {@link #readLine} when the server has gone. */
    abstract void interrupt();

    @Override
    public abstract void close() throws IOException;

    private static final class Interactive extends ConsoleIo {
        private final Terminal terminal;
        private final LineReader reader;
        private volatile Thread readingThread;

        Interactive() throws IOException {
            terminal = TerminalBuilder.builder().system(true).build();
            reader = LineReaderBuilder.builder().terminal(terminal).build();
        }

        @Override
        String readLine() {
            readingThread = Thread.currentThread();
            try {
                return reader.readLine("> ");
            } catch (EndOfFileException | UserInterruptException e) {
                return null;
            } catch (RuntimeException e) {
                // interrupted because the server closed the connection
                return null;
            }
        }

        @Override
        void reply(String line) {
            boolean ok = line.startsWith("2");
            print(line, AttributedStyle.DEFAULT.foreground(ok ? AttributedStyle.GREEN : AttributedStyle.RED));
        }

        @Override
        void event(String line) {
            print("* " + line, AttributedStyle.BOLD.foreground(AttributedStyle.CYAN));
        }

        @Override
        void info(String text) {
            print(text, AttributedStyle.DEFAULT.foreground(AttributedStyle.YELLOW));
        }

        private void print(String text, AttributedStyle style) {
            reader.printAbove(new AttributedString(text, style));
        }

        @Override
        void interrupt() {
            Thread t = readingThread;
            if (t != null) {
                t.interrupt();
            }
        }

        @Override
        public void close() throws IOException {
            terminal.close();
        }
    }

    private static final class Plain extends ConsoleIo {
        private final BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        private final PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);

        @Override
        String readLine() throws IOException {
            return in.readLine();
        }

        @Override
        synchronized void reply(String line) {
            out.println(line);
        }

        @Override
        synchronized void event(String line) {
            out.println("* " + line);
        }

        @Override
        synchronized void info(String text) {
            out.println("# " + text);
        }

        @Override
        void interrupt() {
            // A blocked read of a redirected stdin cannot be interrupted; the loop checks the latch.
        }

        @Override
        public void close() {
            out.flush();
        }
    }
}
