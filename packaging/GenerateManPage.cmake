# Writes a gzipped man page for PROGRAM with help2man, from the program's own --help and --version, so the
# two never disagree. Run at build time by packaging/CMakeLists.txt:
#   cmake -DHELP2MAN=... -DPROGRAM=/path/bin/name -DINCLUDE=name.h2m -DOUTPUT=name.1.gz
#         [-DSUBCOMMANDS=ON] -P GenerateManPage.cmake
# With SUBCOMMANDS=ON every command listed under "Commands:" in --help gets its own `COMMAND --help`
# text in a COMMAND OPTIONS section.
foreach(var HELP2MAN PROGRAM INCLUDE OUTPUT)
    if(NOT DEFINED ${var})
        message(FATAL_ERROR "GenerateManPage.cmake: ${var} is not set")
    endif()
endforeach()

get_filename_component(bindir "${PROGRAM}" DIRECTORY)
get_filename_component(name "${PROGRAM}" NAME)
get_filename_component(outdir "${OUTPUT}" DIRECTORY)
# Run the program by its bare name so that its usage lines say "name", not the build path.
set(run_env "${CMAKE_COMMAND}" -E env "PATH=${bindir}:$ENV{PATH}" QT_QPA_PLATFORM=offscreen)

execute_process(COMMAND ${run_env} "${name}" --help OUTPUT_VARIABLE help RESULT_VARIABLE rc ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
    message(FATAL_ERROR "`${name} --help` failed (${rc}): ${err}")
endif()

set(includes --include=${INCLUDE})
if(SUBCOMMANDS)
    set(generated "[COMMAND OPTIONS]\n")
    string(REPLACE "\n" ";" lines "${help}")
    set(in_commands OFF)
    foreach(line IN LISTS lines)
        if(line MATCHES "^Commands:")
            set(in_commands ON)
        elseif(in_commands AND line MATCHES "^  ([a-z][a-z0-9-]*)( |$)")
            set(cmd "${CMAKE_MATCH_1}")
            execute_process(COMMAND ${run_env} "${name}" "${cmd}" --help
                            OUTPUT_VARIABLE sub RESULT_VARIABLE subrc ERROR_QUIET)
            string(APPEND generated ".SS \"${name} ${cmd}\"\n")
            if(subrc EQUAL 0 AND NOT sub STREQUAL "")
                # The subcommand's parser sees "name [options]": put the command back in its usage line.
                string(REGEX REPLACE "(^|\n)Usage: ${name} \\[" "\\1Usage: ${name} ${cmd} [" sub "${sub}")
                string(REPLACE "\\" "\\e" sub "${sub}")
                string(REPLACE "-" "\\-" sub "${sub}")
                string(REGEX REPLACE "(^|\n)([.'])" "\\1\\\\&\\2" sub "${sub}")
                string(APPEND generated ".nf\n${sub}\n.fi\n")
            else()
                message(WARNING "`${name} ${cmd} --help` failed (${subrc}); the man page names the command only")
                string(APPEND generated "See\n.B ${name} ${cmd} \\-\\-help\n")
            endif()
        elseif(in_commands AND line STREQUAL "")
            set(in_commands OFF)
        endif()
    endforeach()
    file(WRITE "${outdir}/${name}-commands.h2m" "${generated}")
    list(APPEND includes --include=${outdir}/${name}-commands.h2m)
endif()

execute_process(COMMAND ${run_env} "${HELP2MAN}" --no-info --section=1 ${includes} --output=${outdir}/${name}.1
                        "${name}"
                RESULT_VARIABLE rc ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
    message(FATAL_ERROR "help2man failed for ${name} (${rc}): ${err}")
endif()
execute_process(COMMAND gzip -9 -n -c "${outdir}/${name}.1" OUTPUT_FILE "${OUTPUT}" RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
    message(FATAL_ERROR "gzip failed for ${outdir}/${name}.1")
endif()
