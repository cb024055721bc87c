package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// TestClientIsCurrent generates the client again and compares it with the
// committed one, so the client cannot fall behind the document.
func TestClientIsCurrent(t *testing.T) {
	want, err := source()
	if err != nil {
		t.Fatal(err)
	}
	have, err := os.ReadFile(filepath.Join("..", clientFile))
	if err != nil {
		t.Fatalf("%v: run go generate ./api/internal/genclient", err)
	}
	if !bytes.Equal(have, want) {
		t.Fatalf("api/internal/genclient/%s is not the client the API description generates: run go generate ./api/internal/genclient", clientFile)
	}
}
