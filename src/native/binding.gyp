{
  "targets": [
    {
      "target_name": "cli_native",
      "sources": ["addon.c", "poly1305Verify.c", "crc32c.c", "recordPrefetch.c"],
      "cflags": ["-O2", "-Wall", "-Wextra"],
      "libraries": ["-lpthread"]
    }
  ]
}
