package io.paystar

import kotlin.system.exitProcess

/**
 * The `paystar` command: `java -jar paystar-<version>-cli.jar mock`, `... sessions create wallet
 * -d ...`, `... webhooks trigger ...` (docs/cli.md). Written once in the Rust core; this passes
 * the arguments to it and exits with the code it returns: 0 ok, 1 a Paystar error, 2 a usage
 * error.
 */
object Cli {
    /** Runs the command line [args] and exits the JVM with its code. */
    @JvmStatic
    fun main(args: Array<String>) {
        exitProcess(run(args.toList()))
    }

    /** Runs the command line [args] (without the program name) and returns its exit code. */
    @JvmStatic
    fun run(args: List<String>): Int = io.paystar.ffi.cliMain(listOf("paystar") + args)
}
