package main

import (
	"errors"
	"flag"
	"fmt"
	"strconv"
	"strings"

	"github.com/onewindow/onewindow/store"
)

// poolFlag is --db-pool, the PostgreSQL connections of the process: a
// size outside store.MinPool..MaxPool is refused as the flag is set, so
// that the command line, ONEWINDOW_DB_POOL and the configuration file are
// all refused with the setting and its source named.
type poolFlag int

func (p *poolFlag) String() string { return strconv.Itoa(int(*p)) }

func (p *poolFlag) Set(s string) error {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil {
		return errors.New("not a whole number of connections")
	}
	if err := store.CheckPool(n); err != nil {
		return err
	}
	*p = poolFlag(n)
	return nil
}

// dbPoolFlag adds --db-pool to a command's flags.
func dbPoolFlag(fs *flag.FlagSet) *poolFlag {
	p := poolFlag(store.DefaultPool())
	fs.Var(&p, "db-pool", fmt.Sprintf("keep at most `N` PostgreSQL connections, %d to %d (env ONEWINDOW_DB_POOL); a quarter of them, at least one,\n"+
		"is kept for reads and never held by transactions; the default is 4 per CPU the process runs on, at least 8 (SQLite ignores it)",
		store.MinPool, store.MaxPool))
	return &p
}
