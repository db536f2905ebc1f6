// The Go event probe (test/events/go.ts): decodes the sample on stdin as the generated type of
// the trigger named by the argument, and prints what it decoded as a ProbeResult
// (test/events/probe.ts). With -triggers it prints the triggers it knows, one a line.
package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"

	"function/fgruntime/events"
)

type result struct {
	Event   any            `json:"event"`
	Decoded map[string]any `json:"decoded"`
}

// decoders by trigger: each decodes the sample and fills the decoded helpers' results.
var decoders = map[string]func([]byte) (result, error){
	"apig": func(in []byte) (result, error) {
		var e events.APIGRequest
		if err := json.Unmarshal(in, &e); err != nil {
			return result{}, err
		}
		body, err := e.DecodeBody()
		return result{Event: e, Decoded: map[string]any{"body": string(body)}}, err
	},
	"dis": func(in []byte) (result, error) {
		var e events.DISEvent
		if err := json.Unmarshal(in, &e); err != nil {
			return result{}, err
		}
		data := []string{}
		for _, r := range e.Message.Records {
			d, err := r.DecodeData()
			if err != nil {
				return result{}, err
			}
			data = append(data, string(d))
		}
		return result{Event: e, Decoded: map[string]any{"data": data}}, nil
	},
	"lts": func(in []byte) (result, error) {
		var e events.LTSEvent
		if err := json.Unmarshal(in, &e); err != nil {
			return result{}, err
		}
		data, err := e.LTS.DecodeData()
		if err != nil {
			return result{}, err
		}
		logs, err := data.DecodeLogs()
		return result{Event: e, Decoded: map[string]any{"data": data, "logs": logs}}, err
	},
	"timer":         plain[events.TimerEvent],
	"obs":           plain[events.OBSEvent],
	"smn":           plain[events.SMNEvent],
	"kafka":         plain[events.KafkaEvent],
	"rocketmq":      plain[events.RocketMQEvent],
	"cts":           plain[events.CTSEvent],
	"dds":           plain[events.DDSEvent],
	"async-failure": plain[events.AsyncFailureEvent],
}

func plain[T any](in []byte) (result, error) {
	var e T
	err := json.Unmarshal(in, &e)
	return result{Event: e, Decoded: map[string]any{}}, err
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: probe TRIGGER < event.json | probe -triggers")
		os.Exit(2)
	}
	if os.Args[1] == "-triggers" {
		for t := range decoders {
			fmt.Println(t)
		}
		return
	}
	decode, ok := decoders[os.Args[1]]
	if !ok {
		fmt.Fprintf(os.Stderr, "probe: no trigger %q\n", os.Args[1])
		os.Exit(2)
	}
	in, err := io.ReadAll(os.Stdin)
	if err == nil {
		var r result
		if r, err = decode(in); err == nil {
			err = json.NewEncoder(os.Stdout).Encode(r)
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "probe:", err)
		os.Exit(1)
	}
}
