// The benchmark's reference loop: the least a FunctionGraph runtime can do per invocation, in Go
// with the standard library only. One keep-alive TCP connection; per invocation, GET the next event,
// answer it with the same bytes as the generated handler scaffold (no JSON validation), POST that
// back. The socket is used with raw blocking system calls (syscall.RawSyscall: not the net package,
// whose poller adds an epoll wake-up to every read, nor syscall.Read, whose hand-off of the
// scheduler's P to another thread costs more than the read on a 2-CPU machine), as a C or Rust
// loop would; with -net, the same loop runs on a net.Conn instead, to show what Go's poller costs.
// HTTP/1.1 is written and read by hand
// (status line, the two headers it needs, a Content-Length body), so that the loop costs as little
// as possible. No error handling: on any error it exits, and the benchmark reports the run failed.
//
// The paths are the embedded spec's (spec/functiongraph.yaml); the API address is RUNTIME_API_ADDR.
package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strconv"
	"syscall"
	"unsafe"
)

const (
	nextPath     = "/v1/runtime/invocation/request"
	responsePath = "/v1/runtime/invocation/response/"
	prefix       = `{"statusCode":200,"isBase64Encoded":false,"headers":{"Content-Type":"application/json"},"body":`
)

func main() {
	addr := os.Getenv("RUNTIME_API_ADDR")
	var conn io.ReadWriter
	var err error
	if len(os.Args) > 1 && os.Args[1] == "-net" {
		conn, err = net.Dial("tcp", addr) // TCP_NODELAY is net's default.
	} else {
		conn, err = dial(addr)
	}
	check(err)
	r := bufio.NewReaderSize(conn, 64<<10)
	w := bufio.NewWriterSize(conn, 64<<10)
	get := []byte("GET " + nextPath + " HTTP/1.1\r\nHost: " + addr + "\r\n\r\n")
	var event, out []byte
	for {
		_, err = w.Write(get)
		check(err)
		check(w.Flush())
		var id string
		event, id, err = readResponse(r, event)
		check(err)

		out = append(append(append(out[:0], prefix...), event...), '}')
		fmt.Fprintf(w, "POST %s%s HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n", responsePath, id, addr, len(out))
		_, err = w.Write(out)
		check(err)
		check(w.Flush())
		_, _, err = readResponse(r, event[:0])
		check(err)
	}
}

var (
	idHeader     = []byte("x-cff-request-id:")
	lengthHeader = []byte("content-length:")
)

// readResponse reads one 2xx response with a Content-Length body into buf; it returns the body and
// the request-ID header's value.
func readResponse(r *bufio.Reader, buf []byte) (body []byte, id string, err error) {
	status, err := r.ReadSlice('\n')
	if err != nil {
		return nil, "", err
	}
	if len(status) < 12 || status[9] != '2' {
		return nil, "", fmt.Errorf("status %q", bytes.TrimSpace(status))
	}
	length := -1
	for {
		line, err := r.ReadSlice('\n')
		if err != nil {
			return nil, "", err
		}
		line = bytes.TrimSpace(line)
		if len(line) == 0 {
			break
		}
		if hasPrefixFold(line, lengthHeader) {
			length, err = strconv.Atoi(string(bytes.TrimSpace(line[len(lengthHeader):])))
			if err != nil {
				return nil, "", err
			}
		} else if hasPrefixFold(line, idHeader) {
			id = string(bytes.TrimSpace(line[len(idHeader):]))
		}
	}
	if length < 0 {
		return nil, "", errors.New("no Content-Length")
	}
	if cap(buf) < length {
		buf = make([]byte, length)
	}
	body = buf[:length]
	_, err = io.ReadFull(r, body)
	return body, id, err
}

func hasPrefixFold(s, prefix []byte) bool {
	return len(s) >= len(prefix) && bytes.EqualFold(s[:len(prefix)], prefix)
}

// fdConn is a connected socket used with blocking reads and writes.
type fdConn int

func (c fdConn) Read(p []byte) (int, error) {
	n, err := rawIO(syscall.SYS_READ, c, p)
	if err == nil && n == 0 {
		return 0, io.EOF
	}
	return n, err
}

func (c fdConn) Write(p []byte) (int, error) {
	done := 0
	for done < len(p) {
		n, err := rawIO(syscall.SYS_WRITE, c, p[done:])
		if err != nil {
			return done, err
		}
		done += n
	}
	return done, nil
}

// rawIO is read(2) or write(2) on p, retried when a signal interrupts it.
func rawIO(call uintptr, c fdConn, p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	for {
		n, _, errno := syscall.RawSyscall(call, uintptr(c), uintptr(unsafe.Pointer(&p[0])), uintptr(len(p)))
		if errno == syscall.EINTR {
			continue
		}
		if errno != 0 {
			return 0, errno
		}
		return int(n), nil
	}
}

// dial connects to an IPv4 host:port with TCP_NODELAY, as every runtime under test does.
func dial(addr string) (fdConn, error) {
	tcp, err := net.ResolveTCPAddr("tcp4", addr)
	if err != nil {
		return 0, err
	}
	fd, err := syscall.Socket(syscall.AF_INET, syscall.SOCK_STREAM|syscall.SOCK_CLOEXEC, 0)
	if err != nil {
		return 0, err
	}
	if err := syscall.SetsockoptInt(fd, syscall.IPPROTO_TCP, syscall.TCP_NODELAY, 1); err != nil {
		return 0, err
	}
	sa := &syscall.SockaddrInet4{Port: tcp.Port}
	copy(sa.Addr[:], tcp.IP.To4())
	return fdConn(fd), syscall.Connect(fd, sa)
}

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "reference:", err)
		os.Exit(1)
	}
}
