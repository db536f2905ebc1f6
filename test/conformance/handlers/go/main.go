// The conformance suite's test handler (replaces the scaffold's main.go in a copy of the build).
// The event chooses what it does: {"op":"throw"}, {"op":"typed"}, {"op":"panic"}, {"op":"exit"},
// {"op":"sleep","ms":N}, {"op":"context"}, {"op":"log"}, {"op":"deep"} (a panic 100 calls deep),
// {"op":"logbig","bytes":N}; anything else is echoed as is. FG_TEST_INIT_FAIL=panic or error makes
// the init hook fail; a shutdown hook says it ran on stderr (docs/runtime-contract.md).
// With FG_TEST_MODE=json it is a JSON handler instead (jsonHandler, docs/events-contract.md).
package main

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	"function/fgruntime"
	"function/fgruntime/events"
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
		line("securityAccessKey", c.SecurityAccessKey)
		line("securitySecretKey", string(c.SecuritySecretKey))
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
		line("logFormat", f.LogFormat)
		line("remainingMs", c.RemainingTime().Milliseconds())
		return []byte(b.String()), nil
	case "deep":
		deep(100)
	case "logbig":
		n, _ := strconv.Atoi(field(event, "bytes"))
		c.Logger().Info(strings.Repeat("ü€😀x", n/10))
		return []byte("logged"), nil
	case "log":
		// The language's ordinary ways of printing the context: secrets must not show.
		fmt.Printf("context: %+v\n", c)
		fmt.Printf("context: %#v\n", c)
		log.Printf("context: %v", *c)
		return []byte("logged"), nil
	}
	return event, nil
}

// deep panics n calls down.
func deep(n int) {
	if n == 0 {
		panic("panicked 100 calls deep")
	}
	deep(n - 1)
}

// jsonEvent is the JSON mode's input type.
type jsonEvent struct {
	Op    string          `json:"op"`
	Value json.RawMessage `json:"value"`
	Event json.RawMessage `json:"event"`
}

func jsonHandler(ctx context.Context, in jsonEvent) (any, error) {
	c, _ := fgruntime.FromContext(ctx)
	switch in.Op {
	case "echo":
		return in.Value, nil
	case "unserialisable":
		return make(chan int), nil
	case "apig-json":
		return events.APIGJSON(http.StatusCreated, map[string]any{"ok": true, "n": []int{1, 2}})
	case "apig-text":
		return events.APIGText(http.StatusOK, "grüße ✓"), nil
	case "apig-binary":
		data := make([]byte, 256)
		for i := range data {
			data[i] = byte(i)
		}
		return events.APIGBinary(http.StatusOK, data, ""), nil
	case "apig-decode":
		var req events.APIGRequest
		if err := json.Unmarshal(in.Event, &req); err != nil {
			return nil, err
		}
		body, err := req.DecodeBody()
		if err != nil {
			return nil, err
		}
		return map[string]string{"body": hex.EncodeToString(body)}, nil
	case "context":
		// The built-in runtimes' getter names, answered by the Go context's fields.
		f := c.Function
		out := map[string]any{
			"getRequestID":            c.RequestID,
			"getAccessKey":            c.AccessKey,
			"getToken":                string(c.AuthToken),
			"getSecretKey":            string(c.SecretKey),
			"getSecurityAccessKey":    c.SecurityAccessKey,
			"getSecuritySecretKey":    string(c.SecuritySecretKey),
			"getSecurityToken":        string(c.SecurityToken),
			"getProjectID":            f.ProjectID,
			"getFunctionName":         f.FunctionName,
			"getVersion":              f.FunctionVersion,
			"getPackage":              f.Package,
			"getRunningTimeInSeconds": f.TimeoutSeconds,
			"getCPUNumber":            f.CPU,
			"getMemorySize":           f.MemoryMB,
			"missing":                 nil,
		}
		if v, ok := c.UserData("msg"); ok {
			out["userData"] = v
		}
		if v, ok := c.UserData("nope"); ok {
			out["missing"] = v
		}
		return out, nil
	case "logger":
		logger := c.Logger()
		logger.Info("hello from the context logger")
		logger.Warn("careful")
		return "logged", nil
	}
	return nil, fmt.Errorf("unknown op %q", in.Op)
}

func main() {
	fgruntime.OnInit(func() error {
		switch os.Getenv("FG_TEST_INIT_FAIL") {
		case "panic":
			panic("fg init failure xyz")
		case "error":
			return errors.New("fg init failure xyz")
		}
		return nil
	})
	fgruntime.OnShutdown(func() { fmt.Fprintln(os.Stderr, "test handler: shutdown hook ran") })
	if os.Getenv("FG_TEST_MODE") == "json" {
		fgruntime.StartJSON(jsonHandler)
	}
	fgruntime.Start(handler)
}
