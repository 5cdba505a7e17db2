//go:build tools

// Package tools records the one program this module builds, so `go mod tidy`
// keeps its dependencies in go.sum.
package tools

import _ "vitess.io/vitess/go/cmd/vtcombo"
