package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// Client calls the JSON API of one server over loopback.
type Client struct {
	Base string
	HTTP *http.Client
}

// NewClient returns a client that keeps up to conns connections open to base.
func NewClient(base string, conns int) *Client {
	tr := &http.Transport{
		MaxIdleConns:        conns,
		MaxIdleConnsPerHost: conns,
		MaxConnsPerHost:     0,
		IdleConnTimeout:     time.Minute,
		DisableCompression:  true,
	}
	return &Client{Base: strings.TrimSuffix(base, "/"), HTTP: &http.Client{Transport: tr, Timeout: 30 * time.Second}}
}

// Close drops the idle connections.
func (c *Client) Close() { c.HTTP.CloseIdleConnections() }

// StatusError is an answer with an unexpected status.
type StatusError struct {
	Method, Path string
	Status       int
	RetryAfter   string
	Body         string
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("%s %s: status %d: %s", e.Method, e.Path, e.Status, strings.TrimSpace(e.Body))
}

// Do sends body (encoded as JSON unless nil) with token as bearer, expects
// want, and decodes the answer into out when out is not nil. The body is
// always read to the end so that the connection is reused.
func (c *Client) Do(ctx context.Context, method, path, token string, body any, want int, out any) error {
	var rdr io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rdr = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.Base+path, rdr)
	if err != nil {
		return err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := c.HTTP.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	data, err := io.ReadAll(io.LimitReader(res.Body, 8<<20))
	if err != nil {
		return err
	}
	if res.StatusCode != want {
		return &StatusError{Method: method, Path: path, Status: res.StatusCode, RetryAfter: res.Header.Get("Retry-After"), Body: string(data)}
	}
	if out != nil {
		if err := json.Unmarshal(data, out); err != nil {
			return fmt.Errorf("%s %s: decode: %w", method, path, err)
		}
	}
	return nil
}

// Login signs a user in and returns the bearer token.
func (c *Client) Login(ctx context.Context, username, password string) (string, error) {
	var out struct {
		Token string `json:"token"`
	}
	if err := c.Do(ctx, "POST", "/api/v1/auth/login", "", map[string]string{"username": username, "password": password}, 200, &out); err != nil {
		return "", err
	}
	return out.Token, nil
}

// WaitReady polls /readyz until the server answers or ctx ends.
func (c *Client) WaitReady(ctx context.Context) error {
	for {
		req, _ := http.NewRequestWithContext(ctx, "GET", c.Base+"/readyz", nil)
		res, err := c.HTTP.Do(req)
		if err == nil {
			io.Copy(io.Discard, res.Body)
			res.Body.Close()
			if res.StatusCode == 200 {
				return nil
			}
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("bench: server at %s not ready: %w", c.Base, ctx.Err())
		case <-time.After(50 * time.Millisecond):
		}
	}
}
