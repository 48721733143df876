from perflab_harness.harness import main

main()
