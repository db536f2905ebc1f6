// The conformance suite's test handler (replaces the scaffold's main.go in a copy of the build).
// The event chooses what it does: {"op":"throw"}, {"op":"typed"}, {"op":"panic"}, {"op":"exit"},
// {"op":"sleep","ms":N}, {"op":"context"}, {"op":"log"}; anything else is echoed as is.
package main

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"strconv"
	"strings"
	"time"

	"function/fgruntime"
)

// field finds "name": in the event and returns its string or bare value (no JSON parser needed,
// so that every language's test handler reads events the same way).
func field(event []byte, name string) string {
	s := string(event)
	key := `"` + name + `":`
	i := strings.Index(s, key)
	if i < 0 {
		return ""
	}
	s = strings.TrimLeft(s[i+len(key):], " ")
	if strings.HasPrefix(s, `"`) {
		s = s[1:]
		if j := strings.IndexByte(s, '"'); j >= 0 {
			return s[:j]
		}
		return ""
	}
	if j := strings.IndexAny(s, ",}"); j >= 0 {
		s = s[:j]
	}
	return strings.TrimSpace(s)
}

func handler(ctx context.Context, event []byte) ([]byte, error) {
	c, _ := fgruntime.FromContext(ctx)
	switch field(event, "op") {
	case "throw":
		return nil, errors.New("thrown by the test handler")
	case "typed":
		return nil, &fgruntime.Error{Type: "Test.CustomError", Message: "typed by the test handler"}
	case "panic":
		panic("panicked in the test handler")
	case "exit":
		os.Exit(3)
	case "sleep":
		ms, _ := strconv.Atoi(field(event, "ms"))
		time.Sleep(time.Duration(ms) * time.Millisecond)
		return []byte("slept"), nil
	case "context":
		f := c.Function
		var b strings.Builder
		line := func(k string, v any) { fmt.Fprintf(&b, "%s\t%v\n", k, v) }
		line("requestId", c.RequestID)
		line("accessKey", c.AccessKey)
		line("authToken", string(c.AuthToken))
		line("invokeType", c.InvokeType)
		line("secretKey", string(c.SecretKey))
		line("securityToken", string(c.SecurityToken))
		line("projectId", f.ProjectID)
		line("functionName", f.FunctionName)
		line("functionVersion", f.FunctionVersion)
		line("package", f.Package)
		line("handler", f.Handler)
		line("timeoutSeconds", f.TimeoutSeconds)
		line("userData", f.UserData)
		line("cpu", f.CPU)
		line("memoryMb", f.MemoryMB)
		line("codeRoot", f.CodeRoot)
		line("remainingMs", c.RemainingTime().Milliseconds())
		return []byte(b.String()), nil
	case "log":
		// The language's ordinary ways of printing the context: secrets must not show.
		fmt.Printf("context: %+v\n", c)
		fmt.Printf("context: %#v\n", c)
		log.Printf("context: %v", *c)
		return []byte("logged"), nil
	}
	return event, nil
}

func main() {
	fgruntime.Start(handler)
}
