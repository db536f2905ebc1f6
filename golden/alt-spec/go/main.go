// Your handler: fg-bootgen created this file once and never rewrites it (unless --force).
package main

import (
	"context"
	"encoding/json"
	"errors"

	"function/fgruntime"
	"function/fgruntime/events"
)

// statusOK is HTTP's 200 (net/http's constant would link all of net/http into the function).
const statusOK = 200

// apigAnswer is what handler answers an API Gateway request with.
type apigAnswer struct {
	Method string            `json:"method"`
	Path   string            `json:"path"`
	Query  map[string]string `json:"query"`
	Body   string            `json:"body"`
}

// handler answers an API Gateway request with its method, path, query parameters and body as
// JSON, and any other JSON event with the event's text as the body of an API Gateway answer.
// fgruntime.FromContext(ctx) gives the request ID, headers, the function's settings, the
// deadline and a logger. For a handler of JSON values, see fgruntime.StartJSON.
func handler(_ context.Context, event []byte) ([]byte, error) {
	apig, err := events.IsAPIGRequest(event)
	if err != nil {
		return nil, errors.New("the event is not valid JSON")
	}
	if !apig {
		resp := events.APIGText(statusOK, string(event))
		resp.Headers["Content-Type"] = "application/json"
		return resp.AppendJSON(nil), nil
	}
	var req events.APIGRequest
	if err := json.Unmarshal(event, &req); err != nil {
		return nil, err
	}
	body, err := req.DecodeBody()
	if err != nil {
		return nil, errors.New("the APIG request body is not valid base64")
	}
	query := req.QueryStringParameters
	if query == nil {
		query = map[string]string{}
	}
	// encoding/json turns each byte of the body that is not UTF-8 into U+FFFD.
	resp, err := events.APIGJSON(statusOK, apigAnswer{Method: req.HTTPMethod, Path: req.Path, Query: query, Body: string(body)})
	if err != nil {
		return nil, err
	}
	return resp.AppendJSON(nil), nil
}

func main() {
	fgruntime.Start(handler)
}
