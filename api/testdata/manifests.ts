// Manifests as people write them for real Kubernetes clusters, shared by the api/ unit tests:
// they must decode strictly, default and validate without a single complaint.

export const DEPLOYMENT_YAML = `
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: default
  labels:
    app: web
    app.kubernetes.io/part-of: shop
  annotations:
    kubernetes.io/change-cause: "first rollout"
spec:
  replicas: 3
  revisionHistoryLimit: 5
  progressDeadlineSeconds: 300
  minReadySeconds: 2
  selector:
    matchLabels:
      app: web
    matchExpressions:
      - { key: tier, operator: In, values: [front, edge] }
  strategy:
    type: RollingUpdate
    rollingUpdate:
      maxSurge: 1
      maxUnavailable: 25%
  template:
    metadata:
      labels:
        app: web
        tier: front
    spec:
      terminationGracePeriodSeconds: 20
      nodeSelector:
        kubernetes.io/os: linux
      affinity:
        podAntiAffinity:
          preferredDuringSchedulingIgnoredDuringExecution:
            - weight: 100
              podAffinityTerm:
                topologyKey: kubernetes.io/hostname
                labelSelector:
                  matchLabels: { app: web }
      tolerations:
        - key: node.kubernetes.io/not-ready
          operator: Exists
          effect: NoExecute
          tolerationSeconds: 300
      topologySpreadConstraints:
        - maxSkew: 1
          topologyKey: topology.kubernetes.io/zone
          whenUnsatisfiable: ScheduleAnyway
          labelSelector:
            matchLabels: { app: web }
      initContainers:
        - name: migrate
          image: busybox:1.36
          command: ["sh", "-c", "echo migrating"]
      containers:
        - name: nginx
          image: nginx:1.25
          imagePullPolicy: IfNotPresent
          ports:
            - name: http
              containerPort: 80
              protocol: TCP
          env:
            - name: MODE
              value: production
            - name: POD_NAME
              valueFrom:
                fieldRef:
                  fieldPath: metadata.name
            - name: CPU_LIMIT
              valueFrom:
                resourceFieldRef:
                  resource: limits.cpu
                  divisor: 1m
            - name: DB_PASSWORD
              valueFrom:
                secretKeyRef: { name: db, key: password }
            - name: LOG_LEVEL
              valueFrom:
                configMapKeyRef: { name: web-config, key: level, optional: true }
          envFrom:
            - configMapRef: { name: web-config }
              prefix: CFG_
          resources:
            requests: { cpu: 250m, memory: 64Mi }
            limits: { cpu: "1", memory: 128Mi }
          volumeMounts:
            - name: cache
              mountPath: /var/cache/nginx
            - name: config
              mountPath: /etc/nginx/conf.d
              readOnly: true
          readinessProbe:
            httpGet: { path: /healthz, port: http }
            initialDelaySeconds: 2
            periodSeconds: 5
          livenessProbe:
            tcpSocket: { port: 80 }
            failureThreshold: 5
          startupProbe:
            exec: { command: ["cat", "/tmp/ready"] }
          lifecycle:
            preStop:
              exec: { command: ["nginx", "-s", "quit"] }
          securityContext:
            allowPrivilegeEscalation: false
            runAsNonRoot: false
            capabilities:
              drop: ["ALL"]
              add: ["NET_BIND_SERVICE"]
      volumes:
        - name: cache
          emptyDir: { medium: Memory, sizeLimit: 64Mi }
        - name: config
          configMap:
            name: web-config
            items: [{ key: nginx.conf, path: default.conf }]
`;

export const POD_YAML = `
apiVersion: v1
kind: Pod
metadata:
  name: p1
  labels:
    app: p1
spec:
  restartPolicy: OnFailure
  hostname: p1
  subdomain: workers
  serviceAccountName: default
  automountServiceAccountToken: false
  enableServiceLinks: false
  priorityClassName: ""
  securityContext:
    runAsUser: 1000
    runAsGroup: 1000
    fsGroup: 2000
  imagePullSecrets:
    - name: regcred
  containers:
    - name: main
      image: busybox
      command: ["sh", "-c"]
      args: ["echo hello; sleep 3600"]
      workingDir: /tmp
      stdin: true
      tty: true
      resources:
        limits: { cpu: 500m, memory: 1Gi }
      readinessProbe:
        grpc: { port: 9000 }
      volumeMounts:
        - { name: host, mountPath: /host, readOnly: true }
        - { name: info, mountPath: /etc/podinfo }
        - { name: token, mountPath: /var/run/token }
    - name: sidecar
      image: registry.example.com:5000/tools/sidecar@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
      ports:
        - containerPort: 9090
          hostPort: 9090
          protocol: UDP
  volumes:
    - name: host
      hostPath: { path: /var/log, type: Directory }
    - name: info
      downwardAPI:
        items:
          - path: labels
            fieldRef: { fieldPath: metadata.labels }
    - name: token
      projected:
        sources:
          - serviceAccountToken: { path: token, expirationSeconds: 3600 }
`;

/** What `kubectl create deployment web --image=nginx` sends (client-side generated object). */
export const KUBECTL_CREATE_DEPLOYMENT = {
  kind: "Deployment",
  apiVersion: "apps/v1",
  metadata: { name: "web", creationTimestamp: null, labels: { app: "web" } },
  spec: {
    replicas: 1,
    selector: { matchLabels: { app: "web" } },
    template: {
      metadata: { creationTimestamp: null, labels: { app: "web" } },
      spec: { containers: [{ name: "nginx", image: "nginx", resources: {} }] },
    },
    strategy: {},
  },
  status: {},
};

/** What `kubectl run p --image=busybox` sends. */
export const KUBECTL_RUN_POD = {
  kind: "Pod",
  apiVersion: "v1",
  metadata: { name: "p", creationTimestamp: null, labels: { run: "p" } },
  spec: {
    containers: [{ name: "p", image: "busybox", resources: {} }],
    restartPolicy: "Always",
    dnsPolicy: "ClusterFirst",
  },
  status: {},
};

/** A core/v1 Event as client-go's event recorder writes it. */
export const RECORDED_EVENT = {
  metadata: { name: "p.17c3f2a1b2c3d4e5", namespace: "default" },
  involvedObject: {
    kind: "Pod",
    namespace: "default",
    name: "p",
    uid: "0b3c",
    apiVersion: "v1",
    resourceVersion: "12",
  },
  reason: "Scheduled",
  message: "Successfully assigned default/p to n1",
  source: { component: "default-scheduler" },
  firstTimestamp: "2024-05-01T10:00:00Z",
  lastTimestamp: "2024-05-01T10:00:00Z",
  count: 1,
  type: "Normal",
  eventTime: null,
  reportingComponent: "",
  reportingInstance: "",
};
