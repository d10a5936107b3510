# The engine with its CUDA kernels. Build: docker build -t rjepa .
# Run:   docker run --rm --gpus all -v "$PWD/runs:/rjepa/runs" rjepa train
#        docker run --rm --gpus all rjepa devices
# The build stage compiles the kernels with nvcc (SASS sm_80/86/89/90, PTX compute_90);
# the run stage has the CUDA 12 runtime libraries, so the projections take cuBLAS
# (libcublas.so.12); the driver comes from the host through the NVIDIA container toolkit.
FROM nvidia/cuda:12.6.3-devel-ubuntu22.04 AS build
RUN apt-get update \
    && apt-get install -y --no-install-recommends openjdk-17-jdk-headless maven \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY pom.xml ./
RUN mvn -q -B dependency:go-offline
COPY cuda-kernels cuda-kernels
COPY scripts scripts
COPY src src
RUN mvn -q -B -DskipTests package

FROM nvidia/cuda:12.6.3-runtime-ubuntu22.04
RUN apt-get update \
    && apt-get install -y --no-install-recommends openjdk-17-jre-headless \
    && rm -rf /var/lib/apt/lists/*
COPY --from=build /src/target/rjepa.jar /opt/rjepa/rjepa.jar
WORKDIR /rjepa
ENV RJEPA_NATIVE_DIR=/opt/rjepa/natives
RUN mkdir -p /opt/rjepa/natives && chmod 1777 /opt/rjepa/natives
ENTRYPOINT ["java", "-Xmx8g", "--enable-native-access=ALL-UNNAMED", "-jar", "/opt/rjepa/rjepa.jar"]
CMD ["train"]
