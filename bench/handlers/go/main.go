// The benchmark's typed JSON handler for Go (bench/README.md, "typed JSON handler vs raw"): the
// default scaffold's answer to an API Gateway request, written with fgruntime.StartJSON on
// events.APIGRequest → events.APIGResponse instead of a handler of raw bytes. The benchmark copies
// the generated Go output, puts this file in place of main.go and builds it with the output's
// Makefile; it checks that both answer its APIG event with the same bytes.
package main

import (
	"context"
	"errors"
	"net/http"

	"function/fgruntime"
	"function/fgruntime/events"
)

// apigAnswer is the scaffold's answer: the request's method, path, query parameters and body.
type apigAnswer struct {
	Method string            `json:"method"`
	Path   string            `json:"path"`
	Query  map[string]string `json:"query"`
	Body   string            `json:"body"`
}

func handler(_ context.Context, req events.APIGRequest) (events.APIGResponse, error) {
	body, err := req.DecodeBody()
	if err != nil {
		return events.APIGResponse{}, errors.New("the APIG request body is not valid base64")
	}
	query := req.QueryStringParameters
	if query == nil {
		query = map[string]string{}
	}
	return events.APIGJSON(http.StatusOK, apigAnswer{Method: req.HTTPMethod, Path: req.Path, Query: query, Body: string(body)})
}

func main() {
	fgruntime.StartJSON(handler)
}
