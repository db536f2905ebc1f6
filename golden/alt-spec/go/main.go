// Your handler: fg-bootgen created this file once and never rewrites it (unless --force).
package main

import (
	"context"
	"encoding/json"
	"errors"

	"function/fgruntime"
)

// The answer's envelope, in the shape API Gateway expects; the event goes in "body" as received.
const (
	responseHead = `{"statusCode":200,"isBase64Encoded":false,"headers":{"Content-Type":"application/json"},"body":`
	responseTail = `}`
)

// handler answers a JSON event with the event itself wrapped in responseHead and responseTail;
// any other event is an error. fgruntime.FromContext(ctx) gives the request ID, headers,
// the function's settings and the deadline.
func handler(_ context.Context, event []byte) ([]byte, error) {
	if !json.Valid(event) {
		return nil, errors.New("the event is not valid JSON")
	}
	out := make([]byte, 0, len(responseHead)+len(event)+len(responseTail))
	out = append(out, responseHead...)
	out = append(out, event...)
	return append(out, responseTail...), nil
}

func main() {
	fgruntime.Start(handler)
}
