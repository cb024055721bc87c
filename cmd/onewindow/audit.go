package main

import (
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/onewindow/onewindow/audit"
	"github.com/onewindow/onewindow/clock"
	"github.com/onewindow/onewindow/store"
)

const auditHelp = `onewindow audit verify [--db DSN] [--checkpoints FILE --public-key FILE]
    check that no audit record was changed or removed, in every chain (the tenant's and one
    per service point) and against the tie records that bind them; with --checkpoints, also that
    the log still holds every checkpoint signed in FILE (not truncated, not rewritten)
onewindow audit keygen --key FILE
    make the Ed25519 key that signs checkpoints (FILE, mode 0600) and its public key (FILE.pub)
onewindow audit checkpoint [--db DSN] --key FILE --checkpoints FILE
    append a signed checkpoint of the log's head (seq, hash, time) to the checkpoints file
    (serve and demo do it on their schedule with --audit-key and --audit-checkpoints)

Keep the key and the checkpoints file where those who can write to the database cannot
reach them: the hash chain alone shows a changed or deleted record, but not a log cut
short with its head moved back, or one whose hashes were all recomputed.`

// cmdAudit is "onewindow audit": verify, keygen and checkpoint.
// Checkpoints written on demand are stamped with the real time.
func cmdAudit(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprintln(stderr, auditHelp)
		return 2
	}
	switch args[0] {
	case "verify":
		return auditVerify(ctx, args[1:], stdout, stderr)
	case "keygen":
		return auditKeygen(args[1:], stdout, stderr)
	case "checkpoint":
		return auditCheckpoint(ctx, args[1:], clock.Wall(), stdout, stderr)
	case "help", "--help", "-h", "-help":
		fmt.Fprintln(stdout, auditHelp)
		return 0
	}
	fmt.Fprintf(stderr, "onewindow audit: unknown command %q\n\n%s\n", args[0], auditHelp)
	return 2
}

const verifyHelp = `onewindow audit verify [--db DSN] [--checkpoints FILE --public-key FILE]

Recomputes every hash chain of the audit log (the tenant's chain, and one chain per
service point for its cases and hall): every record must hash as stored and name the
previous record's hash, and each chain's head must point at its last record. Then the
tie records of the tenant chain, which list the other chains' heads (written by serve's
scheduler and before every checkpoint), must still hold: a point's chain cut short or
rewritten before a head a tie record saw is reported. It shows a record changed or
deleted in place; it prints each chain's head and the tenant chain's head hash, which
checkpoints sign.

With --checkpoints it also reads the checkpoint file written by "audit checkpoint" or by
serve --audit-checkpoints. Every line must be signed by the public key (a line edited,
forged or signed by another key is rejected), and the log must still hold, at each
checkpoint's seq, the record with the hash the checkpoint signed: a checkpoint beyond
the head means records were removed and the head moved back; a different hash means the
log was rewritten and its hashes recomputed. The message names the checkpoint's line.
After restoring an older backup the newer checkpoints fail by design: the records they
saw were lost. Start a new checkpoint file once that is accepted.

Exit status: 0 intact, 1 broken or unreadable, 2 bad usage.`

func auditVerify(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newCLI("audit verify", verifyHelp, stdout, stderr).withDB("")
	checkpoints := fs.String("checkpoints", "", "checkpoint file to check the log against (one signed JSON line per checkpoint)")
	pubPath := fs.String("public-key", "", "public key that signed the checkpoints (FILE.pub from audit keygen)")
	keyPath := fs.String("key", "", "or the private key file itself, whose public half is used")
	if code := fs.parse(args); code >= 0 {
		return code
	}
	if !fs.noArgs() {
		return 2
	}
	var pub ed25519.PublicKey
	if *checkpoints != "" || *pubPath != "" || *keyPath != "" {
		switch {
		case *checkpoints == "":
			fmt.Fprintln(stderr, "onewindow audit verify: --public-key and --key go with --checkpoints FILE")
			return 2
		case *pubPath == "" && *keyPath == "":
			fmt.Fprintln(stderr, "onewindow audit verify: --checkpoints needs the public key that signed them: --public-key FILE (or --key FILE)")
			return 2
		case *pubPath != "" && *keyPath != "":
			fmt.Fprintln(stderr, "onewindow audit verify: give --public-key or --key, not both")
			return 2
		}
		from := *pubPath
		if from == "" {
			from = *keyPath
		}
		var err error
		pub, err = audit.ReadPublicKey(from)
		if err != nil {
			fmt.Fprintf(stderr, "onewindow audit verify: %v\n", err)
			return 1
		}
	}
	db, ok := fs.open(ctx)
	if !ok {
		return 1
	}
	defer db.Close()
	if pub == nil {
		return printVerify(ctx, db, stdout, stderr)
	}
	return printVerifyCheckpoints(ctx, db, *checkpoints, pub, stdout, stderr)
}

// printVerify is "onewindow audit verify": it prints
// "audit log intact: N records" and the head's hash (worth writing down
// somewhere else: a chain rewritten from the start would still verify, but
// its head would differ; checkpoints do this), and returns 0; or prints where
// the chain is broken, or why it could not be read, and returns 1.
func printVerify(ctx context.Context, db *store.DB, stdout, stderr io.Writer) int {
	sum, err := audit.VerifyChains(ctx, db)
	if code := reportBroken(sum.Records, err, stderr); code != 0 {
		return code
	}
	fmt.Fprintf(stdout, "audit log intact: %d records\n", sum.Records)
	for _, h := range sum.Heads {
		if h.Chain == audit.TenantChain {
			fmt.Fprintf(stdout, "head hash: %s\n", h.Hash)
		}
	}
	printChains(stdout, sum)
	return 0
}

// printChains lists every chain's head and the tie records that bind them.
func printChains(stdout io.Writer, sum audit.Summary) {
	fmt.Fprintf(stdout, "chains: %d, bound by %d tie records\n", len(sum.Heads), sum.Ties)
	for _, h := range sum.Heads {
		name := "tenant"
		if h.Chain != audit.TenantChain {
			name = "point " + h.Chain
		}
		fmt.Fprintf(stdout, "  %s: %d records, head %s\n", name, h.Seq, h.Hash)
	}
}

// printVerifyCheckpoints is "onewindow audit verify --checkpoints":
// printVerify, and then the checks of audit.VerifyCheckpoints against the
// file at path, signed by pub.
func printVerifyCheckpoints(ctx context.Context, db *store.DB, path string, pub ed25519.PublicKey, stdout, stderr io.Writer) int {
	sum, err := audit.VerifyCheckpoints(ctx, db, path, pub)
	if code := reportBroken(sum.Records, err, stderr); code != 0 {
		return code
	}
	fmt.Fprintf(stdout, "audit log intact: %d records\n", sum.Records)
	fmt.Fprintf(stdout, "head hash: %s\n", sum.HeadHash)
	fmt.Fprintf(stdout, "chains: %d, bound by %d tie records\n", sum.Chains, sum.Ties)
	fmt.Fprintf(stdout, "checkpoints hold: %d in %s, signed by key %s\n", sum.Checkpoints, path, audit.KeyID(pub))
	fmt.Fprintf(stdout, "latest checkpoint: seq %d, taken %s; %d records since\n", sum.Latest.Seq, sum.Latest.At, sum.HeadSeq-sum.Latest.Seq)
	return 0
}

func reportBroken(n int64, err error, stderr io.Writer) int {
	var broken *audit.BreakError
	var cp *audit.CheckpointError
	switch {
	case errors.As(err, &broken):
		fmt.Fprintf(stderr, "%v (%d records before it verified)\n", broken, n)
		return 1
	case errors.As(err, &cp):
		fmt.Fprintf(stderr, "audit verify: %v\n", cp)
		return 1
	case err != nil:
		fmt.Fprintf(stderr, "audit verify: %v\n", err)
		return 1
	}
	return 0
}

const keygenHelp = `onewindow audit keygen --key FILE [--public-key FILE]

Makes a new Ed25519 key for signing audit checkpoints: the private key goes to --key
(PEM, PKCS #8, mode 0600), the public key to --public-key (PEM, default FILE.pub) and
to standard output. It never replaces an existing file.

The private key signs checkpoints ("audit checkpoint", serve --audit-key); keep it
off the database server and out of reach of its administrators. The public key is
all that "audit verify --checkpoints" needs: give copies to whoever checks the log.`

func auditKeygen(args []string, stdout, stderr io.Writer) int {
	fs := newCLI("audit keygen", keygenHelp, stdout, stderr)
	keyPath := fs.String("key", "", "private key file to create (required)")
	pubPath := fs.String("public-key", "", "public key file to create (default: the key file's name + .pub)")
	if code := fs.parse(args); code >= 0 {
		return code
	}
	if !fs.noArgs() {
		return 2
	}
	if *keyPath == "" {
		fmt.Fprintln(stderr, "onewindow audit keygen: name the key file to create with --key FILE")
		return 2
	}
	if *pubPath == "" {
		*pubPath = *keyPath + ".pub"
	}
	pub, err := audit.GenerateKey(*keyPath, *pubPath)
	if err != nil {
		fmt.Fprintf(stderr, "onewindow audit keygen: %v\n", err)
		return 1
	}
	pubPEM, err := audit.PublicKeyPEM(pub)
	if err != nil {
		fmt.Fprintf(stderr, "onewindow audit keygen: %v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "private key: %s (keep it secret, away from the database)\n", *keyPath)
	fmt.Fprintf(stdout, "public key:  %s\n", *pubPath)
	fmt.Fprintf(stdout, "key id:      %s\n", audit.KeyID(pub))
	fmt.Fprint(stdout, pubPEM)
	return 0
}

const checkpointHelp = `onewindow audit checkpoint [--db DSN] --key FILE --checkpoints FILE

Appends one checkpoint of the audit log's head (its seq and hash, and the time) to the
checkpoint file, signed with the private key from "audit keygen", as one JSON line.
Before signing it checks that the log still holds the file's last checkpoint and that
the chain is intact from there (the whole chain when the file is new); if not, it
signs nothing and exits 1.

serve and demo write checkpoints themselves, whenever the head has moved, with
--audit-key FILE --audit-checkpoints FILE. Keep the file outside the database's reach
(another machine, append-only storage, or copied off like logs) and check the log
against it with "audit verify --checkpoints FILE --public-key FILE.pub".`

func auditCheckpoint(ctx context.Context, args []string, clk clock.Clock, stdout, stderr io.Writer) int {
	fs := newCLI("audit checkpoint", checkpointHelp, stdout, stderr).withDB("")
	keyPath := fs.String("key", "", "private key that signs the checkpoint (from audit keygen; required)")
	checkpoints := fs.String("checkpoints", "", "checkpoint file to append to, created if missing (required)")
	if code := fs.parse(args); code >= 0 {
		return code
	}
	if !fs.noArgs() {
		return 2
	}
	var missing []string
	if *keyPath == "" {
		missing = append(missing, "--key FILE")
	}
	if *checkpoints == "" {
		missing = append(missing, "--checkpoints FILE")
	}
	if len(missing) > 0 {
		fmt.Fprintf(stderr, "onewindow audit checkpoint: give %s\n", strings.Join(missing, " and "))
		return 2
	}
	db, ok := fs.open(ctx)
	if !ok {
		return 1
	}
	defer db.Close()
	cp, err := audit.NewCheckpointer(db, *keyPath, *checkpoints)
	if err != nil {
		fmt.Fprintf(stderr, "onewindow audit checkpoint: %v\n", err)
		return 1
	}
	c, err := cp.Write(ctx, clk.Now())
	if err != nil {
		fmt.Fprintf(stderr, "onewindow audit checkpoint: %v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "checkpoint appended to %s: seq %d, hash %s, taken %s\n", *checkpoints, c.Seq, c.Hash, c.At)
	return 0
}
