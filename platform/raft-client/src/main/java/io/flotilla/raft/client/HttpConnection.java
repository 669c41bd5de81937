package io.flotilla.raft.client;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpHeaders;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * One socket and its HTTP/1.1 exchanges, one at a time: writes the request in one piece and reads the answer (status
 * line, headers, a body by {@code Content-Length}, chunked, or up to the end of the connection).
 */
final class HttpConnection {

    /** Largest answer read (a list of many keys); a larger one fails the exchange. */
    private static final int MAX_ANSWER_BYTES = 64 * 1024 * 1024;

    /** Longest status or header line accepted. */
    private static final int MAX_LINE = 64 * 1024;

    private final Socket socket;

    /** The TCP channel under {@link #socket} (under its TLS layer too), read without waiting by {@link #closedByPeer}. */
    private final SocketChannel channel;

    private final String host;

    private final InputStream in;

    private final OutputStream out;

    private final byte[] buffer = new byte[8 * 1024];

    private int position;

    private int limit;

    private long deadline;

    private long idleSince;

    HttpConnection(Socket socket, SocketChannel channel, String host) throws IOException {
        this.socket = socket;
        this.channel = channel;
        this.host = host;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    long idleSince() {
        return idleSince;
    }

    void markIdle(long nanoTime) {
        this.idleSince = nanoTime;
    }

    /**
     * Whether the server closed this idle connection, or sent something nobody asked for, since its last answer:
     * checked without waiting, by one read of the TCP channel in non-blocking mode. A request written to a connection
     * the server had already closed (a restarted server, its keep-alive time-out) is lost unanswered, and one that
     * must not run twice then ends as "may have been applied"; checked before the request is written, that is known
     * not to have happened, so a new connection is opened instead. A byte read here is never an answer's (TLS: a
     * close_notify record), and the connection is dropped either way.
     */
    boolean closedByPeer() {
        if (position < limit) {
            return true;
        }
        try {
            channel.configureBlocking(false);
            try {
                return channel.read(ByteBuffer.allocate(1)) != 0;
            }
            finally {
                channel.configureBlocking(true);
            }
        }
        catch (IOException | RuntimeException ex) {
            return true;
        }
    }

    HttpAnswer exchange(String method, String pathAndQuery, Map<String, String> headers, byte[] body,
            Duration timeout) throws IOException {
        write(method, pathAndQuery, headers, body);
        deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            HttpAnswer answer = readAnswer("HEAD".equals(method));
            if (answer != null) {
                return answer;
            }
        }
    }

    private void write(String method, String pathAndQuery, Map<String, String> headers, byte[] body)
            throws IOException {
        StringBuilder head = new StringBuilder(256).append(method).append(' ').append(pathAndQuery)
            .append(" HTTP/1.1\r\nHost: ").append(host).append("\r\n");
        headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        int length = body == null ? 0 : body.length;
        // A body-less POST or PUT still says so; servers may otherwise wait for one.
        if (length > 0 || !("GET".equals(method) || "HEAD".equals(method) || "DELETE".equals(method))) {
            head.append("Content-Length: ").append(length).append("\r\n");
        }
        head.append("\r\n");
        byte[] headBytes = head.toString().getBytes(StandardCharsets.ISO_8859_1);
        // One write, so a small request leaves in one segment.
        byte[] request = length == 0 ? headBytes : Arrays.copyOf(headBytes, headBytes.length + length);
        if (length > 0) {
            System.arraycopy(body, 0, request, headBytes.length, length);
        }
        out.write(request);
        out.flush();
    }

    /** @return the answer, or null after an interim (1xx) answer */
    private HttpAnswer readAnswer(boolean head) throws IOException {
        String statusLine = readLine();
        if (!statusLine.startsWith("HTTP/1.") || statusLine.length() < 12) {
            throw new IOException("Not an HTTP/1.x status line: '" + abbreviate(statusLine) + "'");
        }
        boolean http10 = statusLine.charAt(7) == '0';
        int status;
        try {
            status = Integer.parseInt(statusLine, 9, 12, 10);
        }
        catch (NumberFormatException ex) {
            throw new IOException("Not an HTTP status line: '" + abbreviate(statusLine) + "'", ex);
        }
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        long contentLength = -1;
        boolean chunked = false;
        String connection = null;
        String line;
        while (!(line = readLine()).isEmpty()) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new IOException("Malformed header line: '" + abbreviate(line) + "'");
            }
            String name = line.substring(0, colon).trim();
            String value = line.substring(colon + 1).trim();
            headers.computeIfAbsent(name, n -> new ArrayList<>(1)).add(value);
            if (name.equalsIgnoreCase("Content-Length")) {
                try {
                    contentLength = Long.parseLong(value);
                }
                catch (NumberFormatException ex) {
                    throw new IOException("Malformed Content-Length: '" + value + "'", ex);
                }
            }
            else if (name.equalsIgnoreCase("Transfer-Encoding")) {
                chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
            }
            else if (name.equalsIgnoreCase("Connection")) {
                connection = value.toLowerCase(Locale.ROOT);
            }
        }
        if (status >= 100 && status < 200) {
            return null;
        }
        boolean keepAlive = http10 ? connection != null && connection.contains("keep-alive")
                : connection == null || !connection.contains("close");
        byte[] body;
        if (head || status == 204 || status == 304) {
            body = new byte[0];
        }
        else if (chunked) {
            body = readChunked();
        }
        else if (contentLength >= 0) {
            if (contentLength > MAX_ANSWER_BYTES) {
                throw new IOException("Answer of " + contentLength + " bytes is larger than " + MAX_ANSWER_BYTES);
            }
            body = readExactly((int) contentLength);
        }
        else {
            body = readToEnd();
            keepAlive = false;
        }
        return new HttpAnswer(status, HttpHeaders.of(headers, (name, value) -> true), body, keepAlive);
    }

    private byte[] readExactly(int length) throws IOException {
        byte[] body = new byte[length];
        int copied = Math.min(length, limit - position);
        System.arraycopy(buffer, position, body, 0, copied);
        position += copied;
        while (copied < length) {
            socket.setSoTimeout(remainingMillis());
            int read = in.read(body, copied, length - copied);
            if (read < 0) {
                throw new EOFException("The server closed the connection in the middle of an answer");
            }
            copied += read;
        }
        return body;
    }

    private byte[] readChunked() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = readLine();
            int extension = sizeLine.indexOf(';');
            long size;
            try {
                size = Long.parseLong((extension >= 0 ? sizeLine.substring(0, extension) : sizeLine).trim(), 16);
            }
            catch (NumberFormatException ex) {
                throw new IOException("Malformed chunk size: '" + abbreviate(sizeLine) + "'", ex);
            }
            if (size == 0) {
                while (!readLine().isEmpty()) {
                    // trailers: not used by any Flotilla service
                }
                return body.toByteArray();
            }
            if (body.size() + size > MAX_ANSWER_BYTES) {
                throw new IOException("Chunked answer larger than " + MAX_ANSWER_BYTES + " bytes");
            }
            body.write(readExactly((int) size));
            if (!readLine().isEmpty()) {
                throw new IOException("Chunk not followed by CRLF");
            }
        }
    }

    private byte[] readToEnd() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(buffer, position, limit - position);
        position = limit;
        byte[] chunk = new byte[8 * 1024];
        int read;
        while ((read = readSome(chunk)) >= 0) {
            if (body.size() + read > MAX_ANSWER_BYTES) {
                throw new IOException("Answer larger than " + MAX_ANSWER_BYTES + " bytes");
            }
            body.write(chunk, 0, read);
        }
        return body.toByteArray();
    }

    /** A line up to CRLF (or LF), without it, as ISO-8859-1. */
    private String readLine() throws IOException {
        StringBuilder spill = null;
        while (true) {
            for (int i = position; i < limit; i++) {
                if (buffer[i] == '\n') {
                    int end = i > position && buffer[i - 1] == '\r' ? i - 1 : i;
                    String part = new String(buffer, position, end - position, StandardCharsets.ISO_8859_1);
                    position = i + 1;
                    if (spill == null) {
                        return part;
                    }
                    spill.append(part);
                    int last = spill.length() - 1;
                    if (end == i && last >= 0 && spill.charAt(last) == '\r') {
                        spill.setLength(last);
                    }
                    return spill.toString();
                }
            }
            if (spill == null) {
                spill = new StringBuilder();
            }
            spill.append(new String(buffer, position, limit - position, StandardCharsets.ISO_8859_1));
            if (spill.length() > MAX_LINE) {
                throw new IOException("Header line longer than " + MAX_LINE + " characters");
            }
            position = 0;
            limit = 0;
            int read = readSome(buffer);
            if (read < 0) {
                throw new EOFException("The server closed the connection before answering");
            }
            limit = read;
        }
    }

    private int readSome(byte[] into) throws IOException {
        socket.setSoTimeout(remainingMillis());
        return in.read(into, 0, into.length);
    }

    private int remainingMillis() throws SocketTimeoutException {
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0) {
            throw new SocketTimeoutException("No answer within the request time-out");
        }
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, TimeUnit.NANOSECONDS.toMillis(remaining)));
    }

    private static String abbreviate(String text) {
        return text.length() > 200 ? text.substring(0, 200) + "…" : text;
    }

    void close() {
        KeepAliveHttpClient.closeQuietly(socket);
    }
}
